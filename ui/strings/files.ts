/** The words of file fields: the form's file input, the download link, the designer's "File" type. */
export const FILES_EN = {
  'type.file': 'File',
  'file.choose': 'Choose a file…',
  'file.replace': 'Replace…',
  'file.remove': 'Remove',
  'file.uploading': 'Uploading {name}…',
  'file.maxSize': 'At most {size}.',
  'file.tooLarge': 'is {size}; a file may be at most {max}',
  'file.uploadFailed': 'could not be uploaded: {message}',
  'file.notSaved': 'uploaded; it is attached when you save',
  'file.download': 'Download {name}',
  'valid.file': 'must be a file chosen in the form (a CSV cannot carry one)',
} as const;

export const FILES_ZH: Record<keyof typeof FILES_EN, string> = {
  'type.file': '文件',
  'file.choose': '选择文件…',
  'file.replace': '更换…',
  'file.remove': '移除',
  'file.uploading': '正在上传 {name}…',
  'file.maxSize': '最大 {size}。',
  'file.tooLarge': '大小为 {size}，文件最大 {max}',
  'file.uploadFailed': '上传失败：{message}',
  'file.notSaved': '已上传，保存后生效',
  'file.download': '下载 {name}',
  'valid.file': '须在表单中选择文件（CSV 无法携带文件）',
};
