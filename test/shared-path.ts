import { fileURLToPath } from 'node:url';

/** The project's shared/ folder (references, the seed) beside the repository, as CI lays it out. */
export const SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));
