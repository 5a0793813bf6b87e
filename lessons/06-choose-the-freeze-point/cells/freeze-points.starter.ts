// The freeze points to compare: the last frozen layer of each run. A block N ends with conv_pw_N_relu.
const freezePoints: string[] = [
  'global_average_pooling2d_1', // the whole base frozen: only the head trains (lesson 5)
  // TODO: the end of block 12 (so block 13 trains too), and the end of block 11 (blocks 12 and 13 train)
];
await wb.check.freezePoints(base, freezePoints);
freezePoints;
