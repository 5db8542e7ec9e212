import { scoreTranscript } from '../../media/analysis/transcriptCues.js';

describe('transcript cues', () => {
  it.each([
    'Hi, thanks for holding, this is Dana in the disputes team. Can I start with your name please?',
    'Acme Bank, this is Sam speaking, how can I help?',
    "Hello, you've reached billing, my name is Priya. What can I do for you today?",
    'Policy services, Jordan speaking.',
    'Thanks for waiting, this is Alex in claims. Could you confirm your claim number for me?',
  ])('scores an agent picking up as a person: %s', (text) => {
    const score = scoreTranscript(text);
    expect(score.recording).toEqual([]);
    expect(score.score).toBeGreaterThanOrEqual(3);
  });

  it.each([
    'MinuteClinic, this is Jen',
    'Thank you for calling PG and E, this is Lorena',
    'Repairs, this is Nadia',
    'Marriott guest relations, my name is Arjun',
  ])('takes an agent giving their name for a person before anything else is said: %s', (text) => {
    expect(scoreTranscript(text).score).toBeGreaterThanOrEqual(3);
  });

  it.each([
    "This is Acme Bank's automated assistant",
    'Thank you for calling. This is Acme’s virtual agent',
    'This is a reminder that calls may be recorded',
  ])('takes a recording that introduces itself for no person: %s', (text) => {
    expect(scoreTranscript(text).score).toBeLessThan(3);
  });

  it.each([
    'Your call is important to us. Please stay on the line and the next available specialist will be with you shortly.',
    'All of our agents are busy helping other customers. Please continue to hold.',
    'Thank you for your patience. Your call will be answered in the order it was received.',
    'If you would like us to call you back instead of waiting, press 1 now.',
    'All of our represenatives are currently busy. Please stay on the line and your call will be answered by the next available representative.',
    'For account balances, press 1. For card services, press 2.',
  ])('scores an announcement as a recording: %s', (text) => {
    const score = scoreTranscript(text);
    expect(score.recording.length).toBeGreaterThan(0);
    expect(score.score).toBeLessThan(0);
  });
});
