import { checkDevicePublicKey, type DevicePublicKey } from './device-public-key';
import { displayTextProblem, normalizeDisplayText } from './display-text';

/** A device's name, as people recognise it (`Pixel 8`), after normalizing white space. */
export const DEVICE_NAME_LENGTH = { min: 1, max: 64 };

export const APP_VERSION_LENGTH = { min: 1, max: 32 };

/** The app version a client states, trimmed (1 to 32 characters, no control characters), or a problem; absent is none. */
export function checkAppVersion(raw: string | null | undefined): { value: string | null } | { problem: string } {
  if (raw === undefined || raw === null) return { value: null };
  const value = raw.trim();
  const problem = displayTextProblem(value, APP_VERSION_LENGTH);
  return problem ? { problem: `appVersion ${problem}.` } : { value };
}

/** What a client says about a device: its name, and optionally its app version and public key. */
export interface DeviceDescriptionInput {
  name: string;
  appVersion?: string | null;
  /** The device's public key as a JWK; only Ed25519 public keys are accepted. */
  publicKey?: Record<string, unknown> | null;
}

export interface DeviceDescription {
  name: string;
  appVersion: string | null;
  publicKey: DevicePublicKey | null;
}

/**
 * A device's name, app version and key, checked by the one set of rules registerDevice and
 * sign-in share; the first problem names its field under `prefix` (`name`, or `device.name`
 * where the device is part of a larger input).
 */
export function checkDeviceDescription(
  input: DeviceDescriptionInput,
  prefix = '',
): { description: DeviceDescription } | { problem: string; field: string } {
  const name = normalizeDisplayText(input.name);
  const nameProblem = displayTextProblem(name, DEVICE_NAME_LENGTH);
  if (nameProblem) return { problem: `${prefix}name ${nameProblem}.`, field: `${prefix}name` };
  const version = checkAppVersion(input.appVersion);
  if ('problem' in version) return { problem: `${prefix}${version.problem}`, field: `${prefix}appVersion` };
  const key = input.publicKey ? checkDevicePublicKey(input.publicKey, `${prefix}publicKey`) : undefined;
  if (key && 'problem' in key) return key;
  return { description: { name, appVersion: version.value, publicKey: key?.key ?? null } };
}
