import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject } from '@kates/core';
import { writeKubeconfig } from '../cluster/kubeconfig.js';
import { createServingCertificate } from '../tls/certificates.js';
import { ADMIN, authorize, type FakeUser, NOBODY } from './authorizer.js';
import { SeededRandom } from './clock.js';
import { CrdController } from './crd-controller.js';
import {
  AGGREGATED_DISCOVERY,
  aggregatedDiscovery,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  wantsAggregated,
} from './discovery.js';
import { Faults, type KubeVerb } from './faults.js';
import { fieldValidationOf } from './field-validation.js';
import { GarbageCollector } from './garbage-collector.js';
import { streamList } from './list.js';
import { listenHttpAndHttps } from './listener.js';
import { NamespaceController } from './namespace-controller.js';
import { type Conversion, checkConversion, negotiate, renderGet } from './negotiation.js';
import { DEFAULT_MANAGER, ObjectApi, type WriteOptions, type WriteResult } from './object-api.js';
import { atVersion, parseJsonBody } from './object-shape.js';
import { acceptsJsonDocument, OpenApiDocuments } from './openapi/documents.js';
import { decodedBodies, protobufWire } from './protobuf/wire.js';
import { booleanParam, objectFilter } from './query.js';
import { ResourceRegistry, type ServedResource } from './registry.js';
import { dryRunOf, isDryRun, readDeleteOptions } from './request-options.js';
import { answerReview, isReview } from './reviews.js';
import { type Route, route } from './routes.js';
import { ScaleSubresource } from './scale.js';
import { seed } from './seed.js';
import { ApiError, errors, field } from './status.js';
import { ObjectStore } from './store.js';
import { includeObjectOf, printerOf, type TableConversion } from './table/table.js';
import { RELEASE_VERSION, versionInfo } from './version.js';
import { WatchStream } from './watch.js';

/** Options of {@link startFakeApiServer}. */
export interface FakeApiServerOptions {
  /** TCP port of the plain http endpoint on 127.0.0.1; a free one by default. */
  readonly port?: number;
  /** TCP port of the https endpoint on 127.0.0.1; a free one by default. */
  readonly httpsPort?: number;
  /**
   * Objects to create at start (namespaces and CRDs first, then in order; status kept), e.g.
   * {@link sampleClusterObjects}. An owner reference without a uid names an object seeded before it.
   */
  readonly seed?: readonly KubernetesObject[];
  /** Seeds uids, generated names and random faults, so runs repeat (default 1). */
  readonly randomSeed?: number;
  /** Events kept for watches and paged lists from older resourceVersions (default 10 000); older ones get 410. */
  readonly historySize?: number;
  /**
   * How often a watch with bookmarks gets one when its resource moved on (default 1 s). The real
   * apiserver sends one about a second before the watch's timeout; waiting for that slows tests.
   */
  readonly bookmarkIntervalMs?: number;
  /** Delay before a new CRD is Established and served (default 0: the next tick). */
  readonly crdEstablishDelayMs?: number;
  /** The admin's bearer token; random by default. (The `nobody` user's is always random.) */
  readonly token?: string;
  /** Where to write the kubeconfig; a new temporary folder by default (removed by stop()). */
  readonly kubeconfigPath?: string;
  /**
   * Whether the kubeconfigs name the https endpoint and trust the server's own CA (default true),
   * so kubectl and client-go, which send a bearer token only over TLS, can use them. With false
   * they name the plain http endpoint with `insecure-skip-tls-verify`, as earlier versions did.
   */
  readonly tls?: boolean;
}

/** The `Warning` header lines of an answer (`299 - "text"`), as the apiserver quotes them. */
function warningHeaders(warnings: readonly string[]): Record<string, string[]> {
  if (warnings.length === 0) return {};
  return { warning: warnings.map((w) => `299 - "${w.replace(/[\\"]/g, (c) => `\\${c}`)}"`) };
}

/** A running fake API server. */
export interface FakeApiServer {
  /** `http://127.0.0.1:PORT`: plain http, for tests and tools that fetch without TLS. */
  readonly url: string;
  /** `https://127.0.0.1:PORT`: the same server over TLS (a port of its own), with a certificate {@link certificateAuthority} signed. */
  readonly httpsUrl: string;
  /** PEM of the CA made for this server (each server has its own). */
  readonly certificateAuthority: string;
  /**
   * A kubeconfig (mode 0600) naming {@link httpsUrl} and trusting {@link certificateAuthority}
   * (kubectl works with it as it is), namespace default, and the test cluster's two contexts:
   * `admin` (current; may do everything) and `nobody` (a user without RBAC rights: discovery
   * only, 403 Forbidden for the rest).
   */
  readonly kubeconfigPath: string;
  /** The same server as the `nobody` user alone. */
  readonly nobodyKubeconfigPath: string;
  /** The admin's bearer token. Test-only; never log it. */
  readonly token: string;
  /** Fault injection; `faults.reset()` between tests. */
  readonly faults: Faults;
  /** The newest resourceVersion (for tests that wait for the server to move on). */
  readonly resourceVersion: number;
  /** Closes every connection and the server, and removes the kubeconfig it wrote. */
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  const decoded = decodedBodies.get(req); // a protobuf body, read and decoded by protobufWire
  if (decoded !== undefined) return Promise.resolve(decoded);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A JSON answer. The apiserver's encoder ends API objects (and Status, discovery, lists) with a
 * newline, which `kubectl get --raw` prints; `/version` and the OpenAPI documents have none.
 */
function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
  headers: Record<string, string | readonly string[]> = {},
  newline = true,
): void {
  const text = newline ? `${JSON.stringify(body)}\n` : JSON.stringify(body);
  res.writeHead(code, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A JSON answer already serialized (the OpenAPI documents are built once and kept as text). */
function sendText(res: ServerResponse, code: number, json: string): void {
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function sendError(res: ServerResponse, e: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (e.plainText !== undefined) {
    res.writeHead(e.code, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`${e.plainText}\n`);
    return;
  }
  sendJson(res, e.code, e.status, 'application/json', { ...e.headers });
}

function verbOf(method: string, r: Extract<Route, { type: 'resource' }>, params: URLSearchParams): KubeVerb {
  switch (method) {
    case 'GET':
      return r.name ? 'get' : booleanParam(params, 'watch') ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    default:
      return r.name ? 'delete' : 'deletecollection';
  }
}

/**
 * Starts an in-memory Kubernetes API server on 127.0.0.1 speaking the real HTTP protocol (https
 * with its own CA, and plain http; bearer token required, 401 otherwise), for the parts the client,
 * the reflector and kubectl use: discovery (aggregated and legacy), CRUD with the apiserver's
 * metadata and errors, the status subresource, finalizers, selectors, paged lists, watches with
 * bookmarks and initial events, merge/JSON/strategic patches and server-side apply, CRDs, dry
 * runs, OpenAPI, Table answers and self reviews. The differences from a real
 * kube-apiserver the contract suite allows are listed in contract/allowed-differences.ts.
 */
export async function startFakeApiServer(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const random = new SeededRandom(options.randomSeed ?? 1);
  const registry = new ResourceRegistry();
  const store = new ObjectStore(options.historySize ?? 10_000);
  const api = new ObjectApi(store, random);
  const watches = new Set<WatchStream>();
  const faults = new Faults(() => watches, store, random);
  const crds = new CrdController(store, registry, api, options.crdEstablishDelayMs ?? 0);
  const namespaces = new NamespaceController(store, registry, api);
  const garbage = new GarbageCollector(store, registry, api);
  const scale = new ScaleSubresource(api);
  const openapi = new OpenApiDocuments(registry, RELEASE_VERSION);
  const token = options.token ?? randomBytes(24).toString('hex');
  const nobodyToken = randomBytes(24).toString('hex');
  const users = new Map<string, FakeUser>([
    [`Bearer ${token}`, ADMIN],
    [`Bearer ${nobodyToken}`, NOBODY],
  ]);
  const timings = { bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000 };
  crds.start();
  namespaces.start();
  garbage.start();
  seed(api, registry, crds, options.seed ?? []);

  let serverAddress = '127.0.0.1:0';
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      sendError(res, e instanceof ApiError ? e : errors.internal(e instanceof Error ? e.message : String(e)));
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const user = users.get(req.headers.authorization ?? '');
    if (!user) throw errors.unauthorized();
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    authorize(user, method, url);
    const target = route(url.pathname, registry);
    const accept = req.headers.accept;
    switch (target.type) {
      case 'health':
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok');
        return;
      case 'version':
        sendJson(res, 200, versionInfo(), 'application/json', {}, false);
        return;
      case 'openapi-v2':
        // kubectl asks for the protobuf form, only as a fallback (ALLOWED_DIFFERENCES.openapi).
        if (!acceptsJsonDocument(accept))
          throw errors.withCode(406, 'only application/json is served for /openapi/v2 by this server');
        sendText(res, 200, openapi.v2Document());
        return;
      case 'openapi-v3-index':
        sendJson(res, 200, openapi.v3Index(), 'application/json', {}, false);
        return;
      case 'openapi-v3': {
        const doc = openapi.v3Document(target.path);
        if (!doc) throw errors.pageNotFound();
        sendText(res, 200, doc.json);
        return;
      }
      case 'discovery-root':
        if (wantsAggregated(accept))
          sendJson(res, 200, aggregatedDiscovery(registry, target.legacy), AGGREGATED_DISCOVERY);
        else sendJson(res, 200, target.legacy ? apiVersions(serverAddress) : apiGroupList(registry));
        return;
      case 'group':
        sendJson(res, 200, apiGroupDocument(registry, target.group));
        return;
      case 'resource-list': {
        const list = apiResourceList(registry, target.group, target.version);
        if (!list) throw errors.noResource();
        sendJson(res, 200, list);
        return;
      }
      case 'resource': {
        // Warnings travel with the answer, an error too (an Invalid object after dropped fields).
        const warnings: string[] = [];
        const wire = await protobufWire(req, res, target.resource, verbOf(method, target, url.searchParams));
        try {
          await handleResource(req, wire.res, url, method, target, warnings, user, wire.protobuf);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          const answer =
            warnings.length === 0
              ? e
              : new ApiError(e.code, e.status, { ...e.headers, ...warningHeaders(warnings) }, e.plainText);
          sendError(wire.res, answer); // in protobuf too, where the client prefers it
        }
      }
    }
  }

  async function handleResource(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
    target: Extract<Route, { type: 'resource' }>,
    warnings: string[],
    user: FakeUser,
    protobuf: boolean,
  ): Promise<void> {
    const { resource: r, namespace, name, subresource } = target;
    const params = url.searchParams;
    if (subresource !== undefined && !r.subresources.includes(subresource)) throw errors.noResource();
    const verb = verbOf(method, target, params);
    const table = (apiVersion: string): TableConversion => ({
      as: 'Table',
      apiVersion,
      printer: printerOf(r),
      include: includeObjectOf(params),
      now: Date.now(),
    });
    if (!r.verbs.includes(verb) || (subresource && !['get', 'update', 'patch'].includes(verb)))
      throw errors.methodNotAllowed();
    const injected = faults.failureFor(verb, url.pathname);
    if (injected) throw injected;
    const manager = params.get('fieldManager') || req.headers['user-agent']?.split('/')[0] || DEFAULT_MANAGER;
    if (isReview(r)) {
      sendJson(res, 201, answerReview(r, user, parseJsonBody(r, await readBody(req)), manager));
      return;
    }
    const writeOptions =
      verb === 'create' ? 'CreateOptions' : verb === 'update' ? 'UpdateOptions' : 'PatchOptions';
    // Deletes read dryRun from their DeleteOptions (body or query) below.
    const dryRun = verb === 'delete' || verb === 'deletecollection' ? false : dryRunOf(params, writeOptions);
    const fieldValidation =
      verb === 'create' || verb === 'update' || verb === 'patch'
        ? fieldValidationOf(params, writeOptions)
        : undefined;
    const opts: WriteOptions = {
      manager,
      dryRun,
      warnings,
      ...(fieldValidation ? { fieldValidation } : {}),
      ...(subresource === 'status' ? { subresource: 'status' as const } : {}),
    };
    if (subresource === 'scale') {
      const answer = await writeScale(req, params, target, verb, opts);
      sendJson(res, answer.code, answer.body, 'application/json', warningHeaders(warnings));
      return;
    }
    let result: WriteResult;
    switch (verb) {
      case 'get': {
        const conversion = negotiate(req.headers.accept, table, protobuf);
        checkConversion(r, conversion, false);
        const obj = atVersion(r, api.get(r, namespace, name as string));
        sendText(res, 200, `${renderGet(obj, conversion)}\n`);
        return;
      }
      case 'list': {
        const conversion = negotiate(req.headers.accept, table, protobuf);
        checkConversion(r, conversion, true);
        const filter = objectFilter(r, namespace, params);
        const limit = params.get('limit');
        const delay = faults.listPageDelay();
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        await streamList(
          res,
          {
            resource: r,
            filter,
            limit: limit ? Number(limit) : undefined,
            continueToken: params.get('continue') || undefined,
            resourceVersion: params.get('resourceVersion') ?? undefined,
            resourceVersionMatch: params.get('resourceVersionMatch') ?? undefined,
            ...(conversion ? { conversion } : {}),
          },
          store,
        );
        return;
      }
      case 'watch': {
        const conversion = negotiate(req.headers.accept, undefined, protobuf);
        checkConversion(r, conversion, false);
        return startWatch(res, url, r, namespace, conversion);
      }
      case 'create':
        result = api.create(r, namespace, parseJsonBody(r, await readBody(req)), opts);
        break;
      case 'update':
        result = api.update(r, namespace, name as string, parseJsonBody(r, await readBody(req)), opts);
        break;
      case 'patch':
        result = api.patch(
          r,
          namespace,
          name as string,
          req.headers['content-type'] ?? '',
          await readBody(req),
          {
            ...opts,
            force: booleanParam(params, 'force'),
            fieldManagerParam: params.get('fieldManager') ?? '',
          },
        );
        break;
      case 'delete': {
        const options = readDeleteOptions(await readBody(req), params);
        result = api.delete(r, namespace, name as string, options, isDryRun(options));
        break;
      }
      case 'deletecollection':
        return deleteCollection(req, res, params, r, namespace);
    }
    sendJson(res, result.code, result.body, 'application/json', warningHeaders(warnings));
  }

  /** GET, PUT or PATCH of a `scale` subresource. */
  async function writeScale(
    req: IncomingMessage,
    params: URLSearchParams,
    target: Extract<Route, { type: 'resource' }>,
    verb: KubeVerb,
    opts: WriteOptions,
  ): Promise<WriteResult> {
    const { resource: r, namespace } = target;
    const name = target.name as string;
    if (verb === 'get') return { code: 200, body: scale.get(r, namespace, name) };
    if (verb === 'update')
      return scale.update(r, namespace, name, parseJsonBody(r, await readBody(req)), opts);
    return scale.patch(r, namespace, name, req.headers['content-type'] ?? '', await readBody(req), {
      ...opts,
      force: booleanParam(params, 'force'),
      fieldManagerParam: params.get('fieldManager') ?? '',
    });
  }

  async function deleteCollection(
    req: IncomingMessage,
    res: ServerResponse,
    params: URLSearchParams,
    r: ServedResource,
    namespace: string | undefined,
  ): Promise<void> {
    const filter = objectFilter(r, namespace, params);
    const options = readDeleteOptions(await readBody(req), params);
    const dryRun = isDryRun(options);
    const items: KubernetesObject[] = [];
    for (const [, obj] of [...store.keysFrom(r.storageKey, namespace, undefined)]) {
      if (!filter.matches(obj)) continue;
      const deleted = api.delete(r, obj.metadata?.namespace, obj.metadata?.name as string, options, dryRun);
      items.push(deleted.body.kind === 'Status' ? obj : (deleted.body as KubernetesObject));
    }
    sendJson(res, 200, {
      kind: `${r.kind}List`,
      apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
      metadata: { resourceVersion: String(store.resourceVersion) },
      items,
    });
  }

  function startWatch(
    res: ServerResponse,
    url: URL,
    r: ServedResource,
    namespace: string | undefined,
    conversion: Conversion | undefined,
  ): void {
    const params = url.searchParams;
    const sendInitialEvents = params.has('sendInitialEvents')
      ? booleanParam(params, 'sendInitialEvents')
      : undefined;
    const match = params.get('resourceVersionMatch') ?? undefined;
    if (sendInitialEvents !== undefined && match !== 'NotOlderThan') {
      throw errors.invalidOptions(
        'ListOptions',
        field.forbidden(
          'resourceVersionMatch',
          'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
        ),
      );
    }
    if (sendInitialEvents === undefined && match) {
      throw errors.invalidOptions(
        'ListOptions',
        field.forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ),
      );
    }
    const timeout = params.get('timeoutSeconds');
    const watch = new WatchStream(
      res,
      {
        resource: r,
        filter: objectFilter(r, namespace, params),
        resourceVersion: params.get('resourceVersion') ?? undefined,
        sendInitialEvents,
        allowWatchBookmarks: booleanParam(params, 'allowWatchBookmarks'),
        timeoutSeconds: timeout ? Number(timeout) : undefined,
        path: url.pathname,
        ...(conversion ? { conversion } : {}),
      },
      store,
      timings,
      {
        delayMs: () => faults.eventDelay(),
        delayed: () => faults.countDelayed(),
        closed: (w) => watches.delete(w),
      },
    );
    watches.add(watch);
    faults.watchOpened(watch);
    watch.start();
  }

  const certificate = createServingCertificate();
  const listener = await listenHttpAndHttps(onRequest, certificate, {
    http: options.port ?? 0,
    https: options.httpsPort ?? 0,
  });
  serverAddress = `127.0.0.1:${listener.httpsPort}`;
  const url = `http://127.0.0.1:${listener.httpPort}`;
  const httpsUrl = `https://127.0.0.1:${listener.httpsPort}`;
  const ownDir = mkdtempSync(join(tmpdir(), 'kates-fake-'));
  const kubeconfigPath = options.kubeconfigPath ?? join(ownDir, 'kubeconfig');
  const nobodyKubeconfigPath = join(ownDir, 'kubeconfig-nobody');
  const nobody = { name: 'nobody', token: nobodyToken };
  const tls = options.tls ?? true;
  const write = (path: string, users: { name: string; token: string }[]) =>
    tls
      ? writeKubeconfig(path, httpsUrl, certificate.caPem, users)
      : writeKubeconfig(path, url, '', users, 'default', { insecureSkipTlsVerify: true });
  // The test cluster's contexts, so a test may switch to the unprivileged user on either server.
  write(kubeconfigPath, [{ name: 'admin', token }, nobody]);
  write(nobodyKubeconfigPath, [nobody]);

  let stopped = false;
  return {
    url,
    httpsUrl,
    certificateAuthority: certificate.caPem,
    kubeconfigPath,
    nobodyKubeconfigPath,
    token,
    faults,
    get resourceVersion() {
      return store.resourceVersion;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      crds.stop();
      namespaces.stop();
      garbage.stop();
      for (const w of [...watches]) w.drop();
      await listener.close();
      rmSync(ownDir, { recursive: true, force: true });
    },
  };
}
