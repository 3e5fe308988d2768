/**
 * The slice of ECharts the DR views use (a graph for plans, stacked bars for a run's timeline), loaded
 * lazily by provideEchartsCore so the main bundle does not carry it.
 */
import * as echarts from 'echarts/core';
import { BarChart, GraphChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GraphChart, DataZoomComponent, GridComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
