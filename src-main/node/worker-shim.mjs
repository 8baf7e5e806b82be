// Lets a worker thread run the TypeScript sources directly (development and tests); the app runs the bundle.
import { register } from 'tsx/esm/api';
register();
await import('./worker.ts');
