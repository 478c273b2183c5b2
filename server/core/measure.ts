import { Field, Float, ObjectType } from '@nestjs/graphql'
import { Provenance } from './enums.js'

@ObjectType('Measure', {
  description: 'A metric value with its provenance; null with provenance none when not disclosed.',
})
export class Measure {
  @Field(() => Float, { nullable: true }) value!: number | null
  @Field(() => Provenance) provenance!: Provenance
}

/** Provenance text from SQL ('' when the catalog has none) as the enum. */
export function provenanceOf(text: string | null | undefined): Provenance {
  return text === 'onchain' || text === 'signed' || text === 'reported' ? Provenance[text] : Provenance.none
}

/** A value with its provenance; an undisclosed one is null whatever the SQL returned. */
export function measure(value: string | number | null | undefined, provenance: string): Measure {
  const p = provenanceOf(provenance)
  if (p === Provenance.none || value === null || value === undefined) return { value: null, provenance: p }
  return { value: typeof value === 'number' ? value : Number(value), provenance: p }
}
