/** Raw integer token units → exact decimal string in token units. */
export function rawToUnits(raw: bigint, decimals: number): string {
  const negative = raw < 0n
  const abs = negative ? -raw : raw
  const base = 10n ** BigInt(decimals)
  const whole = abs / base
  const frac = (abs % base).toString().padStart(decimals, '0').replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`
}

/** Exact decimal string in token units → raw integer units (extra decimals are an error). */
export function unitsToRaw(text: string, decimals: number): bigint {
  const [whole = '0', frac = ''] = text.split('.')
  if (frac.length > decimals) throw new Error(`${text} has more than ${decimals} decimals`)
  const negative = whole.startsWith('-')
  const value =
    BigInt(whole.replace('-', '')) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0')
  return negative ? -value : value
}
