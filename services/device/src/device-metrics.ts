import { counterOf, type ServiceMetrics } from '@messngr/kit/metrics';

export type HandshakeOutcome =
  | 'COMPLETED'
  | 'HANDSHAKE_NONCE_UNKNOWN'
  | 'HANDSHAKE_NONCE_EXPIRED'
  | 'HANDSHAKE_NONCE_REPLAYED'
  | 'HANDSHAKE_SIGNATURE_INVALID';

/** What the device subgraph counts: handshakes by outcome, and registrations by door and outcome. */
export interface DeviceMetrics {
  handshake(outcome: HandshakeOutcome): void;
  registration(via: 'API' | 'SIGN_IN', outcome: 'REGISTERED' | 'DEVICE_LIMIT_REACHED'): void;
}

export function deviceMetrics(metrics: ServiceMetrics): DeviceMetrics {
  const handshakes = counterOf(metrics, {
    name: 'device_handshakes_total',
    help: 'Device handshake completions by outcome: COMPLETED, or the refusal code (a bad signature, an unknown, expired or replayed nonce).',
    labelNames: ['outcome'],
  });
  const registrations = counterOf(metrics, {
    name: 'device_registrations_total',
    help: 'Device registrations by door (API: registerDevice; SIGN_IN: named at sign-in) and outcome (REGISTERED, DEVICE_LIMIT_REACHED).',
    labelNames: ['via', 'outcome'],
  });
  return {
    handshake: (outcome) => handshakes.inc({ outcome }),
    registration: (via, outcome) => registrations.inc({ via, outcome }),
  };
}

/** For unit tests and tools that count nothing. */
export const UNCOUNTED: DeviceMetrics = { handshake: () => undefined, registration: () => undefined };
