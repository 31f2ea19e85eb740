import { subscribe } from 'node:diagnostics_channel';
import { nowMicros } from '../stats.js';

/**
 * When the newest chunk of a response body reached the HTTP client, µs (0 before any). kates-ts
 * and client-node both read the API server through undici, which publishes each chunk it hands
 * over on `undici:request:bodyChunkReceived`: from there to the change signal is the client's
 * own part of a change's latency, free of the server's and the network's (which vary between
 * processes by more than the clients differ; issue 18).
 */
let lastChunkUs = 0;
let listening = false;

/** Starts stamping chunks (once per process; each stamp is one clock read). */
export function listenForArrivals(): void {
  if (listening) return;
  listening = true;
  subscribe('undici:request:bodyChunkReceived', () => {
    lastChunkUs = nowMicros();
  });
}

/** The newest chunk's arrival, µs (`nowMicros`); 0 before any. */
export function lastArrivalUs(): number {
  return lastChunkUs;
}
