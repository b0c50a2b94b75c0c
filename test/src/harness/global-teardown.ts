export default async function globalTeardown(): Promise<void> {
  await globalThis.messngrInfrastructure?.stop();
  globalThis.messngrInfrastructure = undefined;
}
