// Six photos of ours, and the model's three best guesses for each.
const photos = [
  'cat/Egyptian_Mau_10.jpg',
  'cat/Sphynx_127.jpg',
  'dog/beagle_10.jpg',
  'dog/pug_112.jpg',
  'other/other_tfjs_coffee.jpg',
  'other/other_imagenet_n01882714_koala.jpg',
].map((file) => wb.photos.find(file));
const answers = await wb.classify(model, photos, { top: 3 });
