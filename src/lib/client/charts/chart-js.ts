/**
 * chart.js with only the parts our charts use, registered once. Imported dynamically by
 * Chart.svelte, so it is a chunk of its own that only the pages drawing a chart load (the
 * assessment page and the facilitator's console; never the member's path).
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);
// readable on a projector and a phone alike; the app's text colour and font
Chart.defaults.font.size = 14;
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';
Chart.defaults.color = '#1a1a1a';
Chart.defaults.animation = false;

export { Chart };
