// The freeze points to compare: the last frozen layer of each run. A block N ends with conv_pw_N_relu.
const freezePoints: string[] = [
  'global_average_pooling2d_1', // the whole base frozen: only the head trains (lesson 5)
  'conv_pw_12_relu', // block 13 trains too
  'conv_pw_11_relu', // blocks 12 and 13 train too
];
await wb.check.freezePoints(base, freezePoints);
freezePoints;
