import { afterAll } from 'vitest';
import { removeTempDirs } from './temp.js';

// Runs in every test file (setupFiles): the temporary directories of the file go when the file is done.
afterAll(removeTempDirs);
