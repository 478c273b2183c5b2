/** ClickHouse DateTime text ('YYYY-MM-DD hh:mm:ss[.fff]', UTC) to a Date. */
export function fromClickHouseTime(value: string): Date {
  return new Date(`${value.replace(' ', 'T')}Z`)
}

/** A Date as ClickHouse DateTime64(3) text, UTC. */
export function toClickHouseTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '')
}
