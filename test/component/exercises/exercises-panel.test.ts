// @vitest-environment happy-dom
// The Exercises tab: the list with what is done, an exercise's steps checked live from the lab's events (not from
// clicks), hints one at a time, Next once a goal is reached, progress that survives a reload, and Reset.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import ExercisesPanel from '../../../renderer/src/components/exercises/ExercisesPanel.vue';
import ConfirmDialog from '../../../renderer/src/components/shell/ConfirmDialog.vue';
import { useExerciseStore } from '../../../renderer/src/stores/exercise-store';
import { useCommandsStore } from '../../../renderer/src/stores/commands-store';
import { useUiStore } from '../../../renderer/src/stores/ui-store';
import { parse } from 'yaml';
import { exerciseSchema } from '../../../src/protocol/exercise/schema';
import { EventStream } from '../model/event-builders';
import { fakeLab } from '../shell/lab-fixtures';

const EXERCISE = exerciseSchema.parse(parse(`id: two-steps
title: Two steps
level: 1
minutes: 5
paper: "§5.2"
cluster: {nodes: 3, timeScale: 4}
intro: Watch **closely**.
steps:
  - id: elect
    text: Wait for a leader.
    hints: [The shortest timer fires first., A majority is 2 of 3.]
    goal: {leader: {}}
    explain: A candidate won a majority.
    solution: [{wait: {until: {leader: {}}}}]
    withinMs: 5000
  - id: crash
    text: Crash the leader.
    goal: {status: {node: startLeader, is: crashed}}
    solution: [{crash: leader}]
    withinMs: 5000
`));

function setup() {
  const lab = fakeLab();
  lab.api.listExercises.mockResolvedValue([{ id: 'two-steps', title: 'Two steps', level: 1, minutes: 5, paper: '§5.2' }]);
  lab.api.getExercise.mockResolvedValue(EXERCISE);
  useCommandsStore().attach(lab.api);
  useExerciseStore().attach(lab.api);
  const wrapper = mount({ components: { ExercisesPanel, ConfirmDialog }, template: '<ExercisesPanel /><ConfirmDialog />' });
  return { lab, wrapper };
}

const statuses = (wrapper: ReturnType<typeof setup>['wrapper']): string[] =>
  wrapper.findAll('[data-testid="exercise-step"]').map((step) => `${step.attributes('data-step-id') ?? ''}:${step.attributes('data-status') ?? ''}`);

describe('the Exercises tab', () => {
  beforeEach(() => {
    window.localStorage.clear();
    setActivePinia(createPinia());
  });

  it('offers the student\'s own Raft as chosen in Settings, whatever the cluster running now (an exercise may have started the lab\'s)', async () => {
    const { lab, wrapper } = setup();
    useUiStore().patchSettingsDraft({ implementation: { kind: 'example' } });
    await flushPromises();
    // The running cluster is the lab's own Raft (the fake lab's snapshot): the choice in Settings still decides.
    expect(useExerciseStore().implementationFor(EXERCISE)).toEqual({ kind: 'example' });
    await wrapper.get('[data-testid="exercise-item-two-steps"]').trigger('click');
    await flushPromises();
    await wrapper.get('[data-testid="exercise-start"]').trigger('click');
    await flushPromises();
    expect(lab.api.startCluster).toHaveBeenCalledWith(expect.objectContaining({ implementation: { kind: 'example' } }));
  });

  it('lists the exercises, starts one with its own cluster and checks each step from the events', async () => {
    const { lab, wrapper } = setup();
    await flushPromises();
    await wrapper.get('[data-testid="exercise-item-two-steps"]').trigger('click');
    await flushPromises();
    expect(statuses(wrapper)).toEqual(['elect:pending', 'crash:pending']);

    await wrapper.get('[data-testid="exercise-start"]').trigger('click');
    await flushPromises();
    expect(lab.api.startCluster).toHaveBeenCalledWith(expect.objectContaining({ nodeCount: 3, timeScale: 4 }));
    expect(statuses(wrapper)).toEqual(['elect:active', 'crash:pending']);
    expect(wrapper.get('[data-testid="exercise-next"]').attributes('disabled')).toBeDefined();

    await wrapper.get('[data-testid="exercise-hint"]').trigger('click');
    expect(wrapper.text()).toContain('The shortest timer fires first.');
    expect(wrapper.text()).not.toContain('A majority is 2 of 3.');

    // A follower (not a leader) is not the goal; a leader of the top term is.
    const stream = new EventStream(500);
    stream.phase('starting');
    for (const id of [1, 2, 3]) stream.status(id, 'running');
    stream.state(2, { role: 'candidate', term: 1 });
    lab.emit(stream.events.splice(0));
    await flushPromises();
    expect(statuses(wrapper)[0]).toBe('elect:active');
    stream.state(2, { role: 'leader', term: 1, leaderId: 2 });
    lab.emit(stream.events.splice(0));
    await flushPromises();
    expect(statuses(wrapper)).toEqual(['elect:achieved', 'crash:pending']);
    expect(wrapper.get('[data-testid="exercise-explain"]').text()).toContain('A candidate won a majority.');

    await wrapper.get('[data-testid="exercise-next"]').trigger('click');
    await flushPromises();
    expect(statuses(wrapper)).toEqual(['elect:achieved', 'crash:active']);
    stream.status(2, 'crashed');
    lab.emit(stream.events.splice(0));
    await flushPromises();
    expect(statuses(wrapper)).toEqual(['elect:achieved', 'crash:achieved']);
    expect(wrapper.text()).toContain('Exercise complete');
  });

  it('remembers what is done across a reload, and Reset forgets it after asking', async () => {
    const first = setup();
    await flushPromises();
    await first.wrapper.get('[data-testid="exercise-item-two-steps"]').trigger('click');
    await flushPromises();
    await first.wrapper.get('[data-testid="exercise-start"]').trigger('click');
    await flushPromises();
    const stream = new EventStream(10);
    stream.status(1, 'running');
    stream.state(1, { role: 'leader', term: 1, leaderId: 1 });
    first.lab.emit(stream.events.splice(0));
    await flushPromises();
    first.wrapper.unmount();

    setActivePinia(createPinia()); // a reload: fresh stores, the same storage
    const second = setup();
    await flushPromises();
    await second.wrapper.get('[data-testid="exercise-item-two-steps"]').trigger('click');
    await flushPromises();
    expect(statuses(second.wrapper)).toEqual(['elect:achieved', 'crash:pending']);

    await second.wrapper.get('[data-testid="exercise-reset"]').trigger('click');
    await flushPromises();
    await second.wrapper.get('[data-testid="confirm-accept"]').trigger('click');
    await flushPromises();
    expect(statuses(second.wrapper)).toEqual(['elect:pending', 'crash:pending']);
  });
});
