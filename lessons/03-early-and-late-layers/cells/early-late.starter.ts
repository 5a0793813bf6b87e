// Pick two layers to compare on the same photo: one early, one late.
const early: string =
  /* TODO: a layer of the stem or blocks 1–3, still 56×56 or larger (see lesson 2's table) */ 'conv_pw_13_relu';
const late = 'conv_pw_13_relu';
await wb.check.earlyAndLate(model, early, late);
await wb.pictures.showEarlyAndLate(model, 'cat/Egyptian_Mau_10.jpg', { early, late });
