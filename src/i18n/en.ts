// English catalogue: may lag behind French; a missing key falls back to French.
import type { MessageKey } from './fr.ts';

export const en: Partial<Record<MessageKey, string>> = {
  'app.tagline': 'The FORIM peer training and exchange cycle',
  'layout.skip': 'Skip to content',
  'layout.nav': 'Main navigation',
  'layout.home': 'Home',
  'layout.outbox': 'Outbox',
  'layout.logout': 'Sign out',
  'layout.login': 'Sign in',
  'layout.signedInAs': 'Signed in: {name}',
  'layout.menu': 'Menu',
  'role.member': 'Member',
  'role.trainer': 'Trainer',
  'role.coordinator': 'Coordinator',
  'role.admin': 'National team',
  'login.title': 'Sign in',
  'login.email': 'Email address',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.forgot': 'Forgot your password?',
  'login.invalid': 'Wrong email address or password.',
  'home.title': 'Home',
  'home.hello': 'Hello {name}',
  'error.404.title': 'Page not found',
  'error.403.title': 'Access denied',
  'error.500.title': 'Something went wrong',
};
