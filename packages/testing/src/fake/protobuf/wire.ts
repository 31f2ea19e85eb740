import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeVerb } from '../faults.js';
import { answersProtobuf } from '../negotiation.js';
import type { ServedResource } from '../registry.js';
import { errors, qualifiedResource } from '../status.js';
import { PROTOBUF, ProtobufResponse } from './response.js';
import { protobufTranscoder, TranscodeError } from './transcoder.js';

/** How one resource request is spoken: where its answer is written, and whether protobuf counts. */
export interface Wire {
  /** The response to write JSON to: the request's own, or a {@link ProtobufResponse} over it. */
  readonly res: ServerResponse;
  /** Whether negotiation may choose protobuf ranges (a built-in kind, with the codec built). */
  readonly protobuf: boolean;
}

/** Request bodies sent in protobuf, as the JSON the fake's handlers read (see `readBody`). */
export const decodedBodies = new WeakMap<IncomingMessage, string>();

/**
 * Prepares a resource request for protobuf, the wire format of kubectl's and client-go's typed
 * clients: a protobuf body is decoded to JSON (kept in {@link decodedBodies}), and an answer is
 * encoded when the client prefers protobuf. Only built-in kinds have a protobuf form: a custom
 * resource's objects are answered in JSON, its errors (Status, a built-in kind) in protobuf, as
 * the apiserver does; its protobuf body gets 415, the apiserver's answer to a body it cannot
 * read (kube-apiserver 1.37.2 itself panics on one and drops the connection: its CR handler has
 * no protobuf decoder). Where the codec is not built (Go missing), a protobuf body gets a 415 that
 * says how to get it, and answers fall back to JSON.
 */
export async function protobufWire(
  req: IncomingMessage,
  res: ServerResponse,
  r: ServedResource,
  verb: KubeVerb,
): Promise<Wire> {
  const sendsProtobuf = isProtobuf(req.headers['content-type']);
  const accept = req.headers.accept;
  if (!sendsProtobuf && !accept?.includes(PROTOBUF)) return { res, protobuf: false };
  const transcoder = await protobufTranscoder();
  if (sendsProtobuf) {
    if (r.custom)
      throw errors.unsupportedMediaType(
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
      );
    if (!transcoder)
      throw errors.unsupportedMediaType(
        `${qualifiedResource(r)}: this fake API server reads ${PROTOBUF} bodies with its protobuf codec, ` +
          'which is not built on this machine: install Go 1.26+ and run packages/testing/cluster/protobuf/build.sh ' +
          '(the test setup runs it), or send application/json',
      );
    const body = await readRaw(req);
    try {
      decodedBodies.set(req, await transcoder.toJson(body));
    } catch (e) {
      if (!(e instanceof TranscodeError)) throw e;
      throw errors.badRequest(
        `the object provided is unrecognized (must be of type ${r.kind}): ${e.message} (${summarize(body)})`,
      );
    }
  }
  if (!transcoder) return { res, protobuf: false };
  const table = verb === 'get' || verb === 'list';
  const protobuf = !r.custom;
  // A custom resource's watch streams JSON; its single answers try protobuf and fall back to JSON.
  if (!answersProtobuf(accept, table, true) || (r.custom && verb === 'watch')) return { res, protobuf };
  return { res: new ProtobufResponse(res, transcoder, verb === 'watch').asServerResponse(), protobuf };
}

/** Whether a `Content-Type` names Kubernetes protobuf. */
export function isProtobuf(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === PROTOBUF;
}

/** A body as the apiserver quotes it in a decoding error: its first 30 bytes, in hex. */
function summarize(body: Buffer): string {
  if (body.length === 0) return '<empty>';
  return body.length > 30 ? `${body.subarray(0, 30).toString('hex')} ...` : body.toString('hex');
}

function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
