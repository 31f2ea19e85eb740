import { resolve } from 'node:path';
import { findBug } from './find-bug.js';
import { recordSession } from './record.js';

/**
 * `npm start` in examples/time-travel: records a controller session on the embedded API server
 * into session.jsonl, then replays it and steps to the moment the summary went wrong.
 */
const path = resolve(process.argv[2] ?? 'session.jsonl');
const actions = await recordSession(path);
console.log(`recorded ${actions} actions to ${path}`);
const bug = findBug(path);
if (!bug) {
  console.log('replayed every step: the controller never planned a bad summary');
} else {
  console.log(`the summary first went wrong at ${bug.report}`);
  console.log(`\nscrub through it: npx kates inspect ${path}`);
}
