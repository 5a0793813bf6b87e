// Every photo through the frozen layers, once: 256 numbers per photo, kept in memory for every run on this page.
const features = await wb.features(model.cutAt);
