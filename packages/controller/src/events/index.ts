export {
  EVENT_LIMITS,
  type EventInput,
  type EventReference,
  type EventSeries,
  type EventsV1Event,
  type EventType,
  eventReferenceTo,
  truncateNote,
} from './event.js';
export {
  type EventDropReason,
  EventRecorder,
  type EventRecorderMetrics,
  type EventRecorderOptions,
} from './recorder.js';
