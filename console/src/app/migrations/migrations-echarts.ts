/**
 * The slice of ECharts the migrations views use (stacked bars for the schedule's Gantt calendar), loaded
 * lazily by provideEchartsCore so the main bundle does not carry it.
 */
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, DataZoomComponent, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
