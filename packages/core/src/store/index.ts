export * as katesActions from './actions.js';
export * from './actions.js';
export { deepFreeze } from './freeze.js';
export type { ListInProgress, ListInProgressPage } from './list-in-progress.js';
export { queryMatches } from './match.js';
export {
  createKatesReducer,
  freezeByDefault,
  initialKatesState,
  type KatesReducerOptions,
  katesReducer,
} from './reducer.js';
export * from './selectors.js';
export { compareObjects } from './sorted-items.js';
export * from './state.js';
export * from './store.js';
export { forEachStored, isEntry, localOf, objectCount, objectOf, storedOf } from './stored-object.js';
export {
  diffTrees,
  emptyTree,
  type Tree,
  TreeEditor,
  treeForEach,
  treeGet,
  treeHas,
  treeValues,
} from './tree.js';
