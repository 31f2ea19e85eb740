/** Time travel pieces that need Node: the file sink and the Redux DevTools connection. */

export * from './devtools.js';
export * from './file-sink.js';
