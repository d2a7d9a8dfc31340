export { renderLineChart } from './line-chart.js';
export type { LineChartOptions, LinePoint, LineSeries } from './line-chart.js';
export { renderBarChart } from './bar-chart.js';
export type { Bar, BarChartOptions } from './bar-chart.js';
export { escapeXml } from './escape.js';
export { niceTicks, linearScale, pointScale } from './scale.js';
export type { LinearScale } from './scale.js';
export { CATEGORICAL_COLORS, seriesColor } from './palette.js';
