import { describe, expect, it } from 'vitest';
import { uploadName } from '../../../web/src/views/lurk/uploads';

describe('Lurk uploads', () => {
  it('names a model file as the server takes it', () => {
    expect(uploadName('their model.onnx')).toBe('their-model.onnx');
    expect(uploadName('My CNN (v2).NLMODEL')).toBe('My-CNN-v2-.nlmodel');
    expect(uploadName('.hidden.onnx')).toBe('hidden.onnx');
    expect(uploadName('ünïcode.onnx')).toBe('n-code.onnx');
    expect(uploadName('%%%.onnx')).toBe('model.onnx');
    expect(uploadName(`${'x'.repeat(100)}.nlmodel`)).toBe(`${'x'.repeat(56)}.nlmodel`);
    expect(() => uploadName('notes.txt')).toThrow('notes.txt: a model file ends in .nlmodel or .onnx');
  });
});
