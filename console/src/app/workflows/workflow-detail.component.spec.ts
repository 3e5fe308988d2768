import type { StreamHandlers } from '../core/streams';
import type { Role, WorkflowProgressEvent } from '../core/api-types';
import {
  click,
  type FakeApi,
  progressEvent,
  sampleStep,
  sampleWorkflow,
  sampleWorkflowDetail,
  settle,
  texts,
  renderComponent,
  setUpConsoleSpec,
} from '../../testing/test-helpers';
import { WorkflowDetailComponent } from './workflow-detail.component';

describe('WorkflowDetailComponent', () => {
  let workflows: FakeApi['workflows'];
  let stream: StreamHandlers<WorkflowProgressEvent> | undefined;
  let unsubscribe: jasmine.Spy;

  beforeEach(() => {
    const api = setUpConsoleSpec({ imports: [WorkflowDetailComponent] });
    workflows = api.workflows;
    workflows.get.query.and.resolveTo(sampleWorkflowDetail());
    stream = undefined;
    unsubscribe = jasmine.createSpy('unsubscribe');
    workflows.onProgress.subscribe.and.callFake((_input, handlers) => {
      stream = handlers;
      return { unsubscribe };
    });
  });

  const render = (roles: Role[] = ['cloud-operator']) => renderComponent(WorkflowDetailComponent, { me: { roles }, inputs: { id: 'w-1' } });

  const stepCell = (el: HTMLElement, key: string, cell: string) =>
    el.querySelector(`tr[data-step="${key}"] .${cell}`)?.textContent?.trim();
  const progressText = (el: HTMLElement) => el.querySelector('.workflow-progress .ant-progress-text')?.textContent?.trim();
  const progressWidth = (el: HTMLElement) =>
    (el.querySelector('.workflow-progress .ant-progress-bg') as HTMLElement | null)?.style.width;

  it('shows a needs-attention run: the notice, the step and the object it may have left on the cloud', async () => {
    workflows.get.query.and.resolveTo(sampleWorkflowDetail({
      status: 'needs-attention',
      error: 'needs attention: tenant-space sys-1 on nanchang (no answer)',
      steps: [
        sampleStep({ key: 'place', status: 'compensated' }),
        sampleStep({ key: 'tenant', status: 'needs-attention', outcomeUnknown: true, attention: 'tenant-space sys-1 on nanchang', error: 'no answer' }),
      ],
    }));
    const { el } = await render();
    expect(el.querySelector('.workflow-status')?.textContent).toContain('需人工处理');
    expect(el.querySelector('.needs-attention')?.textContent).toContain('孤立对象');
    expect(stepCell(el, 'tenant', 'step-status')).toBe('需人工处理');
    expect(stepCell(el, 'tenant', 'step-attention')).toBe('需人工处理：tenant-space sys-1 on nanchang');
    // A needs-attention run is over: no live stream badge, no steering buttons.
    expect(el.querySelector('.live')).toBeNull();
    expect(el.querySelector('.cancel')).toBeNull();
  });

  it('shows the steps and follows progress from the start of the stream', async () => {
    const { el } = await render();

    expect(workflows.get.query).toHaveBeenCalledOnceWith({ id: 'w-1' });
    expect(workflows.onProgress.subscribe).toHaveBeenCalledOnceWith({ id: 'w-1', afterSeq: 0 }, jasmine.any(Object));
    expect(texts('td.key', el)).toEqual(['place', 'tenant', 'quota']);
    expect(texts('td.step-status', el)).toEqual(['成功', '等待', '等待']);
    expect(progressText(el)).toBe('1/3');
    expect(progressWidth(el)).toBe('33%');
  });

  it('applies progress events to the steps table and the progress bar', async () => {
    const { fixture, el } = await render();

    stream!.onStarted?.();
    stream!.onData(progressEvent({ seq: 5, kind: 'step.started', stepKey: 'tenant', data: { attempt: 1 } }));
    await settle(fixture);
    expect(stepCell(el, 'tenant', 'step-status')).toBe('执行中');
    expect(stepCell(el, 'tenant', 'attempts')).toBe('1/3');
    expect(el.querySelector('.live')?.textContent).toContain('实时进度');

    stream!.onData(progressEvent({ seq: 6, kind: 'step.retrying', stepKey: 'tenant', data: { error: 'cloud timed out' } }));
    stream!.onData(progressEvent({ seq: 7, kind: 'step.started', stepKey: 'tenant', data: { attempt: 2 } }));
    await settle(fixture);
    expect(stepCell(el, 'tenant', 'attempts')).toBe('2/3');
    expect(stepCell(el, 'tenant', 'step-error')).toBe('cloud timed out');

    stream!.onData(progressEvent({ seq: 8, kind: 'step.succeeded', stepKey: 'tenant', data: null, stepsDone: 2 }));
    await settle(fixture);
    expect(stepCell(el, 'tenant', 'step-status')).toBe('成功');
    expect(stepCell(el, 'tenant', 'step-error')).toBe('');
    expect(progressText(el)).toBe('2/3');
    expect(progressWidth(el)).toBe('67%');

    stream!.onData(progressEvent({ seq: 9, kind: 'step.started', stepKey: 'quota', data: { attempt: 1 }, stepsDone: 2 }));
    stream!.onData(progressEvent({ seq: 10, kind: 'step.failed', stepKey: 'quota', data: { error: 'quota exceeded' }, stepsDone: 2 }));
    stream!.onData(progressEvent({ seq: 11, kind: 'workflow.compensating', stepKey: null, data: { error: 'quota failed: quota exceeded' }, status: 'compensating', stepsDone: 2 }));
    await settle(fixture);
    expect(stepCell(el, 'quota', 'step-status')).toBe('失败');
    expect(stepCell(el, 'quota', 'step-error')).toBe('quota exceeded');
    expect(el.querySelector('.workflow-status')?.textContent).toContain('回滚中');
    expect(el.querySelector('.workflow-error')?.textContent).toContain('quota failed: quota exceeded');
  });

  it('stops following and re-reads the workflow when it ends', async () => {
    const { fixture } = await render();

    workflows.get.query.and.resolveTo(sampleWorkflowDetail({ status: 'succeeded', stepsDone: 3, finishedAt: '2026-03-01T02:01:00.000Z' }));
    stream!.onData(progressEvent({ seq: 20, kind: 'workflow.succeeded', stepKey: null, data: null, status: 'succeeded', stepsDone: 3 }));
    await settle(fixture);

    expect(unsubscribe).toHaveBeenCalled();
    expect(workflows.get.query).toHaveBeenCalledTimes(2);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('.workflow-status')?.textContent).toContain('成功');
    expect(el.querySelector('button.pause')).toBeNull();
  });

  it('pauses the workflow and then offers to resume it', async () => {
    workflows.pause.mutate.and.resolveTo(sampleWorkflow({ status: 'paused' }));
    const { fixture, el } = await render();

    expect(el.querySelector('button.resume')).toBeNull();
    click(el.querySelector('button.pause'));
    await settle(fixture);

    expect(workflows.pause.mutate).toHaveBeenCalledOnceWith({ id: 'w-1' });
    expect(el.querySelector('.workflow-status')?.textContent).toContain('已暂停');
    expect(el.querySelector('button.pause')).toBeNull();
    expect(el.querySelector('button.resume')).not.toBeNull();
    expect(texts('td.key', el)).toEqual(['place', 'tenant', 'quota']); // steps kept
  });

  it('offers no steering to roles that may only read', async () => {
    const { el } = await render(['auditor', 'department-user']);

    expect(el.querySelector('.workflow-title')?.textContent).toContain('接入「社保业务系统」');
    expect(el.querySelector('button.pause')).toBeNull();
    expect(el.querySelector('button.cancel')).toBeNull();
  });

  it('does not subscribe to a finished workflow, and unsubscribes when left', async () => {
    const { fixture } = await render();
    fixture.destroy();
    expect(unsubscribe).toHaveBeenCalled();

    workflows.onProgress.subscribe.calls.reset();
    workflows.get.query.and.resolveTo(sampleWorkflowDetail({ status: 'cancelled', finishedAt: '2026-03-01T02:01:00.000Z' }));
    await render();
    expect(workflows.onProgress.subscribe).not.toHaveBeenCalled();
  });
});
