// One of our photos, as the model sees it: a batch of one 224×224 colour image, pixels scaled to [-1, 1].
const mau = wb.photos.find('cat/Egyptian_Mau_10.jpg');
display(wb.photos.show([mau]));
const input = await wb.photos.batch([mau]);
const probs = model.predict(input) as tf.Tensor;
probs;
