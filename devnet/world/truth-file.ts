import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { GroundTruth } from './truth.js'

/** The ground truth as tests read it: stable JSON, so the same seed gives byte-identical files. */
export function groundTruthText(truth: GroundTruth): string {
  return `${JSON.stringify(truth, null, 1)}\n`
}

export function writeGroundTruth(path: string, truth: GroundTruth): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, groundTruthText(truth))
}
