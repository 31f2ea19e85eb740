export {
  type Condition,
  type ConditionInput,
  findCondition,
  isConditionCurrent,
  isConditionTrue,
  removeCondition,
  setCondition,
} from './conditions.js';
