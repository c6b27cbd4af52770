import type { Random } from './random.js';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建文斌宇浩凯健俊帆帅旭宁龙林欣怡佳琪雪晨阳博文昊天子轩梓涵一诺思远嘉怡雨桐浩然';

/**
 * Made-up people for the demo: Chinese names, and mobile numbers and QQ numbers that are unique
 * within one demo (the customer module refuses duplicates).
 */
export class People {
  private readonly phones = new Set<string>();
  private readonly qqs = new Set<string>();

  constructor(private readonly random: Random) {}

  name(): string {
    const given = this.random.chance(0.3) ? this.random.pick([...GIVEN]) : this.random.pick([...GIVEN]) + this.random.pick([...GIVEN]);
    return this.random.pick([...SURNAMES]) + given;
  }

  /** An 11-digit mainland mobile number, as the CRM stores it (normalized: digits only). */
  phone(): string {
    for (;;) {
      const prefix = this.random.pick(['138', '139', '135', '136', '186', '158', '159', '177', '150', '152', '188', '133']);
      const phone = prefix + String(this.random.int(0, 99_999_999)).padStart(8, '0');
      if (this.reserve(this.phones, phone)) return phone;
    }
  }

  qq(): string {
    for (;;) {
      const qq = String(this.random.int(10_000, 3_999_999_999));
      if (this.reserve(this.qqs, qq)) return qq;
    }
  }

  /** Marks fixed numbers (the scenarios' own customers) as taken. */
  take(phone: string | undefined, qq: string | undefined): void {
    if (phone) this.phones.add(phone);
    if (qq) this.qqs.add(qq);
  }

  private reserve(set: Set<string>, value: string): boolean {
    if (set.has(value)) return false;
    set.add(value);
    return true;
  }
}
