// Pick two layers to compare on the same photo: one early, one late.
const early: string = 'conv1_relu';
const late = 'conv_pw_13_relu';
await wb.check.earlyAndLate(model, early, late);
await wb.pictures.showEarlyAndLate(model, 'cat/Egyptian_Mau_10.jpg', { early, late });
