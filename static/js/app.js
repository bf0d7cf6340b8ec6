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

  // The header's « Menu » (a <details>, which opens and closes without this script): Escape closes it
  // too, and gives the focus back to its button when the focus was in the menu.
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const menu = document.querySelector('details.menu[open]');
    if (!menu) return;
    const hadFocus = menu.contains(document.activeElement);
    menu.open = false;
    if (hadFocus) menu.querySelector('summary')?.focus();
  });

  // "Copier le lien" buttons: shown only when the browser can copy (the link stays selectable).
  const enableCopyButtons = (root) => {
    if (!navigator.clipboard) return;
    for (const button of root.querySelectorAll('button[data-copy]')) {
      button.hidden = false;
      if (button.dataset.bound) continue;
      button.dataset.bound = '1';
      const label = button.textContent;
      button.addEventListener('click', async () => {
        const input = document.getElementById(button.dataset.copy);
        if (!input) return;
        try {
          await navigator.clipboard.writeText(input.value);
          button.textContent = button.dataset.copied || label;
          setTimeout(() => {
            button.textContent = label;
          }, 2000);
        } catch {
          input.select();
        }
      });
    }
  };
  document.addEventListener('DOMContentLoaded', () => enableCopyButtons(document));
  document.addEventListener('htmx:after:swap', (event) => {
    if (event.target instanceof Element) enableCopyButtons(event.target);
    // What a long form swapped in place answered (errors, « enregistré ») takes focus and view.
    const answer = document.querySelector('[data-swap-focus]');
    if (answer) {
      answer.removeAttribute('data-swap-focus');
      const target = answer.querySelector('[tabindex="-1"]') ?? answer;
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: true });
      answer.scrollIntoView({ block: 'start' });
    }
  });
})();
