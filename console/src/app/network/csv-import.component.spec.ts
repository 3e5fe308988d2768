import { apiError, press, settle, texts, typeInto, renderComponent } from '../../testing/test-helpers';
import { CsvImportComponent } from './csv-import.component';
import { FakeNetworkApi, setUpNetworkSpec } from '../../testing/network-fakes';

describe('CsvImportComponent', () => {
  let api: FakeNetworkApi;
  beforeEach(() => {
    api = setUpNetworkSpec([CsvImportComponent]);
  });

  async function withCsv(csv: string) {
    const { fixture } = await renderComponent(CsvImportComponent);
    typeInto((fixture.nativeElement as HTMLElement).querySelector('textarea.csv-text'), csv);
    await settle(fixture);
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  it('a refused import shows the server\'s reason and every bad row by row number and column', async () => {
    api.importCsv.and.callFake(async (_kind, _csv, dryRun) => {
      if (!dryRun) throw apiError('BAD_REQUEST', { code: 'csv.rowsInvalid', params: { count: 2, rows: '3, 4' } });
      return { dryRun: true, rows: 3, written: 0, errors: [{ row: 3, column: 'unit_code', message: 'unknown unit code 3601X' }, { row: 4, column: 'plane', message: 'plane plane-7 does not exist' }] };
    });
    const { fixture, el } = await withCsv('circuit_id,unit_code\nA,B');
    await press(fixture, el.querySelector('button.import'));
    expect(api.importCsv.calls.allArgs().map((a) => [a[0], a[2]])).toEqual([['units', false], ['units', true]]);
    expect(el.querySelector('.error-alert')?.textContent).toContain('文件中有 2 行有误（第 3, 4 行），未导入任何数据');
    expect(texts('.row-errors td.row', el)).toEqual(['3', '4']);
    expect(texts('.row-errors td.column', el)).toEqual(['unit_code', 'plane']);
    expect(texts('.row-errors td.message', el)).toEqual(['unknown unit code 3601X', 'plane plane-7 does not exist']);
  });

  it('a successful import says how many rows were written, and links go to the links import', async () => {
    api.importCsv.and.resolveTo({ dryRun: false, rows: 2, written: 2, errors: [] });
    const { fixture, el } = await withCsv('x');
    // The user picks 链路 (links) in the kind switch: the columns hint follows.
    (Array.from(el.querySelectorAll('.kind label')).find((l) => l.textContent?.includes('链路'))!.querySelector('input') as HTMLInputElement).click();
    await settle(fixture);
    expect(el.querySelector('.columns code')?.textContent).toContain('circuit_id');
    typeInto(el.querySelector('textarea.csv-text'), 'circuit_id\nP1');
    await settle(fixture);
    await press(fixture, el.querySelector('button.import'));
    expect(api.importCsv).toHaveBeenCalledOnceWith('links', 'circuit_id\nP1', false);
    expect(el.querySelector('.notice')?.textContent).toContain('2 / 2');
    expect(el.querySelector('.row-errors')).toBeNull();
  });
});
