/**
 * The slice of ECharts the console uses (bar charts on a grid with tooltips, canvas renderer),
 * loaded lazily by provideEchartsCore so the main bundle does not carry it.
 */
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
