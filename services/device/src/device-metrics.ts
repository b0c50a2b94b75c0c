import { counterOf, type ServiceMetrics } from '@messngr/kit/metrics';

export type HandshakeOutcome =
  | 'COMPLETED'
  | 'HANDSHAKE_NONCE_UNKNOWN'
  | 'HANDSHAKE_NONCE_EXPIRED'
  | 'HANDSHAKE_NONCE_REPLAYED'
  | 'HANDSHAKE_SIGNATURE_INVALID';

/** What became of a handshake a messaging backend published (`messaging.device.handshake_observed`). */
export type ObservedHandshakeOutcome = 'RECORDED' | 'STALE' | 'UNKNOWN_DEVICE' | 'DEVICE_REVOKED' | 'DEVICE_HAS_NO_KEY';

/** What the device subgraph counts: handshakes by outcome (through the API and from the messaging backend), and registrations. */
export interface DeviceMetrics {
  handshake(outcome: HandshakeOutcome): void;
  observedHandshake(outcome: ObservedHandshakeOutcome): void;
  registration(via: 'API' | 'SIGN_IN', outcome: 'REGISTERED' | 'DEVICE_LIMIT_REACHED'): void;
}

export function deviceMetrics(metrics: ServiceMetrics): DeviceMetrics {
  const handshakes = counterOf(metrics, {
    name: 'device_handshakes_total',
    help: 'Device handshake completions by outcome: COMPLETED, or the refusal code (a bad signature, an unknown, expired or replayed nonce).',
    labelNames: ['outcome'],
  });
  const observed = counterOf(metrics, {
    name: 'device_observed_handshakes_total',
    help: 'Handshakes the messaging backend published, by outcome: RECORDED, STALE (not newer than the last one), UNKNOWN_DEVICE, DEVICE_REVOKED, DEVICE_HAS_NO_KEY.',
    labelNames: ['outcome'],
  });
  const registrations = counterOf(metrics, {
    name: 'device_registrations_total',
    help: 'Device registrations by door (API: registerDevice; SIGN_IN: named at sign-in) and outcome (REGISTERED, DEVICE_LIMIT_REACHED).',
    labelNames: ['via', 'outcome'],
  });
  return {
    handshake: (outcome) => handshakes.inc({ outcome }),
    observedHandshake: (outcome) => observed.inc({ outcome }),
    registration: (via, outcome) => registrations.inc({ via, outcome }),
  };
}

/** For unit tests and tools that count nothing. */
export const UNCOUNTED: DeviceMetrics = {
  handshake: () => undefined,
  observedHandshake: () => undefined,
  registration: () => undefined,
};
