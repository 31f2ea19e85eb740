/** The time-travel inspector: a React page over a kates recording (browser-safe). */
export { Inspector, type InspectorProps } from './Inspector.js';
