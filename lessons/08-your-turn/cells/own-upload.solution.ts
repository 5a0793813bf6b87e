// Your own classes: name a class, choose its photos (at least 5), then the next class. They are kept in this
// browser's IndexedDB (a reload keeps them) and never uploaded anywhere; the buttons delete a photo, a class or all.
wb.own.uploader();
