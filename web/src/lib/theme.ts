import { computed, ref } from 'vue'

const media = typeof window !== 'undefined' ? window.matchMedia('(prefers-color-scheme: dark)') : null
const dark = ref(media?.matches ?? false)
media?.addEventListener('change', (e) => {
  dark.value = e.matches
})

function theme(fg: string, muted: string, line: string, bg: string) {
  const axis = {
    axisLine: { lineStyle: { color: line } },
    axisTick: { lineStyle: { color: line } },
    axisLabel: { color: muted },
    splitLine: { lineStyle: { color: line, opacity: 0.6 } },
    nameTextStyle: { color: muted },
  }
  return {
    backgroundColor: 'transparent',
    textStyle: { color: fg },
    legend: { textStyle: { color: fg } },
    tooltip: { backgroundColor: bg, borderColor: line, textStyle: { color: fg } },
    categoryAxis: axis,
    valueAxis: axis,
    timeAxis: axis,
    logAxis: axis,
  }
}

/** ECharts themes from the page's colours, following the system's light or dark scheme. */
export const chartTheme = computed(() =>
  dark.value
    ? theme('#e8eaef', '#a3a9b7', '#30343e', '#1c1f26')
    : theme('#16181d', '#5b6170', '#d9dce3', '#ffffff'),
)
export const isDark = computed(() => dark.value)
