/**
 * Okabe–Ito, in an order that keeps neighbours apart; yellow (#f0e442) is left out, it is unreadable
 * on white. Lines also differ by symbol, so colour is never the only cue.
 */
export const OKABE_ITO = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#7f7f7f']
export const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'pin', 'roundRect', 'arrow']

export const colorAt = (i: number): string => OKABE_ITO[i % OKABE_ITO.length] ?? '#0072b2'
export const symbolAt = (i: number): string => SYMBOLS[i % SYMBOLS.length] ?? 'circle'

/** Demand and subsidy in every chart that sets them against each other. */
export const DEMAND_COLOR = '#0072b2'
export const SUBSIDY_COLOR = '#d55e00'

/** The four stages of the supply funnel, lightest claim to strongest evidence. */
export const FUNNEL_COLORS = { listed: '#e69f00', online: '#56b4e9', busy: '#0072b2', verified: '#009e73' }
