// French messages of the lessons' « À faire maintenant » tasks and of the quiz result's answers
// (merged into fr).
export const frLearning = {
  'learn.task.title': 'À faire maintenant',
  'learn.task.hint': 'Une chose concrète pour votre association, à faire cette semaine.',
  'learn.task.markDone': 'C’est fait',
  'learn.task.done': 'Fait. Bravo\u00a0!',
  'learn.task.undo': 'Je ne l’ai pas encore fait',
  'learn.flash.taskDone': 'Tâche cochée\u00a0: bien joué\u00a0!',
  'learn.flash.taskUndone': 'Tâche remise à faire.',
  'learn.course.taskTicked': 'tâche faite',
  'learn.course.tasksDone': '{count} tâche faite sur {total}|{count} tâches faites sur {total}',
  'learn.result.shownOrder': 'Les réponses proposées, dans l’ordre où vous les avez vues\u00a0:',
  'learn.result.notChosen': 'non choisie',
} as const;
