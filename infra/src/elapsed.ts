/** "5.1s" since `since` (a Date.now() value). */
export function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}
