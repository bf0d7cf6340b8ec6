// Where the training path's files live: `courses/` at the project's root.
import { fileURLToPath } from 'node:url';

export const coursesRoot = fileURLToPath(new URL('../../courses', import.meta.url));
