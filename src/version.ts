/** Kept equal to package.json's version (a test checks it), so no JSON import is needed at start-up. */
export const VERSION = '0.1.0';
export const TOOL_NAME = 'shipshape';
export const INFORMATION_URI = 'https://github.com/shipshape-dev/shipshape';
