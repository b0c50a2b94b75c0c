export const DEVICE_PLATFORMS = ['IOS', 'ANDROID', 'WEB', 'DESKTOP'] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];
