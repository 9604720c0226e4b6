// Entry point of the charts bundle (charts.js): registers the recharts plots for app.js, which
// loads this file the first time a chart is shown and lends it its React (see plots-registry.ts).
import { PLOTS } from './views/containers/plots';
import { registerPlots } from './views/containers/plots-registry';

registerPlots(PLOTS);
