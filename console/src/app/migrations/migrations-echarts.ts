/**
 * The slice of ECharts the migrations views use (stacked bars for the schedule's Gantt calendar, lines and bars
 * for the progress indicators), loaded lazily by provideEchartsCore so the main bundle does not carry it.
 */
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
