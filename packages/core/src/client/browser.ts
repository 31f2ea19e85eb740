/** The browser-safe part of the client: everything but `createClient` (which reads kubeconfig files). */
export { Client } from './client.js';
export { keepFields } from './projection.js';
export type {
  ApplyOptions,
  ClientOptions,
  ClientWrite,
  DeleteOptions,
  DeleteResult,
  FieldSelectorInput,
  FieldValidation,
  GetOptions,
  KindRef,
  KindResult,
  LabelSelectorInput,
  ListOptions,
  ListPage,
  Modifier,
  PatchOptions,
  PatchType,
  RetryOptions,
  Stored,
  WriteOptions,
  WriteVerb,
} from './types.js';
export { mergeInto } from './upsert.js';
