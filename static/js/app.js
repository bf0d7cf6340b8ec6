// Passerelle's only script of its own: small touches on top of htmx. Every page works without it.
(() => {
  // When an htmx request fails (network down, timeout), say so where the person is looking.
  document.addEventListener('htmx:error', (event) => {
    const source = event.target instanceof Element ? event.target : null;
    const form = source?.closest('form') ?? source;
    if (!form || form.querySelector('.request-failed')) return;
    const note = document.createElement('p');
    note.className = 'request-failed field__error';
    note.setAttribute('role', 'alert');
    note.textContent =
      document.documentElement.lang === 'en'
        ? 'The connection failed. Check your network and try again.'
        : 'La connexion a échoué. Vérifiez votre réseau et réessayez.';
    form.append(note);
  });
  document.addEventListener('htmx:before:request', (event) => {
    const source = event.target instanceof Element ? event.target : null;
    (source?.closest('form') ?? source)?.querySelector('.request-failed')?.remove();
  });
})();
