/**
 * One chart.js chart on a canvas. Only the controllers the reports use are registered, so esbuild
 * bundles those and not the whole library. chart.js sizes the canvas through element.style (the
 * CSSOM), which the UI's CSP (`style-src 'self'`) allows; it injects no stylesheet.
 */
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import {
  ArcElement, BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PieController, PointElement, Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { ChartKind } from './chart-options.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, PieController, ArcElement, CategoryScale, LinearScale, Legend, Tooltip);


export interface Series {
  label: string;
  values: readonly (number | null)[];
  /** Drawn as a line over bars (a rate over counts), against a second axis. */
  line?: boolean;
  /** Values are fractions (0.25), shown as percentages on the axis. */
  percent?: boolean;
}

const PALETTE = ['#2459d6', '#e8833a', '#2e9d5b', '#c0352b', '#8a5cd1', '#1f9bb4', '#c7a22c', '#d0569a', '#667085', '#5b8c2a'];

interface Props {
  kind: ChartKind;
  labels: readonly string[];
  series: readonly Series[];
  /** What the chart shows, for screen readers (the table under it has the numbers). */
  title: string;
  testid?: string;
}

export function ChartCanvas({ kind, labels, series, title, testid }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config(kind, labels, series));
    return () => chart.destroy();
  }, [kind, JSON.stringify(labels), JSON.stringify(series)]);
  return html`<div class="chart-box"><canvas ref=${canvas} role="img" aria-label=${title} data-testid=${testid}></canvas></div>`;
}

function config(kind: ChartKind, labels: readonly string[], series: readonly Series[]): ChartConfiguration {
  const pie = kind === 'pie';
  const twoAxes = !pie && series.some((s) => s.line) && series.some((s) => !s.line);
  const percentTicks = { callback: (v: number | string) => `${Math.round(Number(v) * 100)}%` };
  return {
    type: kind,
    data: {
      labels: [...labels],
      datasets: series.map((s, i) => ({
        type: pie ? 'pie' : s.line ? 'line' : kind,
        label: s.label,
        data: [...s.values],
        backgroundColor: pie ? labels.map((_, j) => PALETTE[j % PALETTE.length]) : PALETTE[i % PALETTE.length],
        borderColor: pie ? '#fff' : PALETTE[i % PALETTE.length],
        // A pie of one slice would show its white seam as a stray line.
        ...(pie && labels.length === 1 ? { borderWidth: 0 } : {}),
        // A rate line is drawn over the bars it describes, not hidden behind them.
        ...(twoAxes && s.line ? { yAxisID: 'y1', order: 0 } : { order: 1 }),
        // A month without a rate is a gap in the line, not a slope to the next one.
        ...(s.line || kind === 'line' ? { tension: 0.2, spanGaps: false, pointRadius: 3 } : {}),
      })) as never,
    },
    options: {
      // Drawn at once: a report is read, not watched, and tests see the final picture.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: pie || series.length > 1, position: pie ? 'right' : 'top' } },
      scales: pie ? {} : {
        // Counts have no halves: whole-number ticks unless the axis is a rate.
        y: { beginAtZero: true, ticks: series.every((s) => s.percent) ? percentTicks : { precision: 0 } },
        ...(twoAxes ? { y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, ...(series.find((s) => s.line)?.percent ? { ticks: percentTicks } : {}) } } : {}),
      },
    },
  } as ChartConfiguration;
}
