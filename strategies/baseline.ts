/** Exponential moving average baseline of the policy-gradient strategies; it starts at the first value it sees. */
export function nextBaseline(baseline: number | null, value: number, decay: number): number {
  return baseline === null ? value : decay * baseline + (1 - decay) * value;
}
