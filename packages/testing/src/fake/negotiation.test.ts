import { describe, expect, it } from 'vitest';
import { answersProtobuf, negotiate } from './negotiation.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

describe('content negotiation with protobuf', () => {
  it('answers in protobuf when the first range the fake can serve is protobuf', () => {
    expect(answersProtobuf(`${PROTOBUF}, */*`, false, true)).toBe(true);
    expect(answersProtobuf(`application/json, ${PROTOBUF}`, false, true)).toBe(false);
    expect(answersProtobuf(undefined, false, true)).toBe(false);
  });

  it('skips protobuf ranges where protobuf is not served, falling through to JSON or 406', () => {
    expect(answersProtobuf(`${PROTOBUF}, */*`, false, false)).toBe(false);
    expect(negotiate(`${PROTOBUF}, application/json`, undefined, false)).toBeUndefined();
    expect(() => negotiate(PROTOBUF, undefined, false)).toThrow(/only the following media types/);
    expect(negotiate(PROTOBUF, undefined, true)).toBeUndefined();
  });

  it('takes the conversion of a protobuf range as of a JSON one, and skips one it does not know', () => {
    const meta = 'as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
    expect(negotiate(`${PROTOBUF};${meta}`, undefined, true)).toEqual({
      as: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
    });
    expect(answersProtobuf(`${PROTOBUF};as=Unknown;g=x;v=v1, application/json`, false, true)).toBe(false);
  });

  it('counts a protobuf Table range only where a Table can be answered (a get or a list)', () => {
    const table = `${PROTOBUF};as=Table;g=meta.k8s.io;v=v1, application/json`;
    expect(answersProtobuf(table, true, true)).toBe(true);
    expect(answersProtobuf(table, false, true)).toBe(false);
  });
});
