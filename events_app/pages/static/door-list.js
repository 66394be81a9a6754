/* The door list: this device's copy of its gathering's admission list, and the offline
   judgement that reads it. The list comes from GET /api/v1/door/list (whole, then what
   changed), sealed with an HMAC the page checks before applying it; it is kept in
   IndexedDB. judge() answers as domain/scan_rules.py's table does, in its order, for
   everything the list tells; tests/cases/door_cases.json holds the server and this page
   to the same answers. Plain JavaScript; SHA-256 from the vendored js-sha256. */
(function (root) {
  "use strict";

  var BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  var TOKEN = /^[A-Z2-7]{55}$/;
  var DIGEST_CHARS = 24;
  var DB_NAME = "door-list";
  var PASSING = { ok: true, already_checked_in: true };

  // ---- the badge format (events_app/services/badge_tokens.py) -----------------------------

  function decode(token) {
    var out = [];
    var bits = 0;
    var value = 0;
    for (var i = 0; i < token.length; i++) {
      value = ((value << 5) | BASE32.indexOf(token[i])) & 0xfff;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    // The bits left over must be zero, as in the one encoding the server writes.
    return (value & ((1 << bits) - 1)) === 0 ? out : null;
  }

  function hex(bytes) {
    return bytes
      .map(function (b) {
        return (b < 16 ? "0" : "") + b.toString(16);
      })
      .join("");
  }

  function uuid(h) {
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  /* What a code says if it has a badge's shape: version 1, key id, the gathering's tag, the
     registration id and the serial. The MAC is not checked here: the list's digests are. */
  function claims(token) {
    if (typeof token !== "string" || !TOKEN.test(token)) return null;
    var bytes = decode(token);
    if (!bytes || bytes.length !== 34 || bytes[0] !== 1) return null;
    return {
      keyId: bytes[1],
      tag: hex(bytes.slice(2, 6)),
      registrationId: uuid(hex(bytes.slice(6, 22))),
      serial: (bytes[22] << 8) | bytes[23],
    };
  }

  function digest(token) {
    return root.sha256(token).slice(0, DIGEST_CHARS);
  }

  function tagOf(gatheringId) {
    return String(gatheringId || "").replace(/-/g, "").slice(0, 8).toLowerCase();
  }

  // ---- the judgement ------------------------------------------------------------------------

  function isOpen(checkpoint, at) {
    return at >= new Date(checkpoint.opens_at) && at < new Date(checkpoint.closes_at);
  }

  /* Where the guest stands at this checkpoint: the device's own record when it is newer
     than the list (a scan it made since), else the list's, as of its last sync. */
  function presence(entry, checkpoint, local, syncedAt) {
    var code = checkpoint.code;
    var listed = {
      inside: Boolean(entry && entry.inside.indexOf(code) >= 0),
      first: (entry && entry.first[code]) || null,
    };
    if (!local || Date.parse(local.at) <= syncedAt) return listed;
    return { inside: local.inside, first: listed.first || local.first || local.at };
  }

  function answer(rule, status, entry, extra) {
    return Object.assign({ rule: rule, status: status, entry: entry || null }, extra || {});
  }

  /* Judge a scan offline. `scan` holds the token (or, for a guest found by name, the
     registration id), the checkpoint as the device holds it, the direction, the time and
     the device's own record of the guest here. The first rule that applies answers. */
  function judge(list, scan) {
    var checkpoint = scan.checkpoint;
    var entry = null;
    if (!scan.registrationId) {
      // The code as scanned, trimmed as the server trims it (badge_tokens.verify).
      var token = typeof scan.token === "string" ? scan.token.trim() : scan.token;
      var badge = claims(token);
      if (!badge) return answer("not_a_badge", "invalid");
      if (badge.tag !== tagOf(list.gatheringId)) {
        return answer("badge_of_another_gathering", "wrong_event");
      }
      if (!list.syncedAt) return unlisted(checkpoint, scan);
      entry = list.entries.get(badge.registrationId) || null;
      if (entry && entry.badges.indexOf(digest(token)) < 0) {
        return answer("not_a_badge", "invalid");
      }
      if (!entry) return answer("no_registration", "unknown", null, { unlisted: true });
      if (badge.serial !== entry.serial) return answer("replaced_badge", "revoked", entry);
    } else {
      entry = list.entries.get(scan.registrationId) || null;
      if (!entry) return answer("no_registration", "unknown", null, { unlisted: true });
    }
    if (entry.state === "cancelled") return answer("cancelled", "cancelled", entry);
    if (entry.state !== "confirmed") return answer("not_confirmed", "not_confirmed", entry);
    if (checkpoint.closed) return answer("closed_by_organisers", "closed", entry);
    if (checkpoint.categories.indexOf(entry.category) < 0) {
      return answer("category_not_admitted", "not_admitted_here", entry);
    }
    if (!isOpen(checkpoint, scan.at)) return answer("outside_hours", "closed", entry);
    var here = presence(entry, checkpoint, scan.local, list.syncedAt);
    if (scan.direction === "out" && !here.inside) return answer("not_inside", "not_inside", entry);
    if (scan.direction === "out") return answer("exit", "ok", entry);
    if (here.inside) return answer("already_checked_in", "already_checked_in", entry, { first: here.first });
    return answer("entry", "ok", entry, { reEntry: Boolean(here.first) });
  }

  /* A device that never synced its list knows only the badge's shape and its checkpoint:
     it judges those, and every answer it gives is unverified. */
  function unlisted(checkpoint, scan) {
    var extra = { unlisted: true, unverified: true };
    if (checkpoint.closed) return answer("closed_by_organisers", "closed", null, extra);
    if (!isOpen(checkpoint, scan.at)) return answer("outside_hours", "closed", null, extra);
    var local = scan.local || { inside: false, at: null };
    if (scan.direction === "out") return answer("exit", "ok", null, extra);
    if (local.inside) {
      return answer("already_checked_in", "already_checked_in", null, Object.assign({ first: local.at }, extra));
    }
    return answer("entry", "ok", null, extra);
  }

  /* The guest as the door shows them, as the server's answer does (no accessibility notes:
     the list does not hold them). */
  function guestOf(entry, checkpoint) {
    if (!entry) return null;
    var note = (checkpoint.category_notes || {})[entry.category];
    return {
      registration_id: entry.registration_id,
      full_name: entry.full_name,
      name_zh: entry.name_zh,
      organisation: "",
      job_title: "",
      category: entry.category,
      notes: note ? [note] : [],
    };
  }

  function passes(status) {
    return Boolean(PASSING[status]);
  }

  // ---- the list: applying syncs, checking their seal ---------------------------------------

  function emptyList(gatheringId) {
    return {
      gatheringId: gatheringId,
      version: 0,
      syncedAt: 0,
      maxAgeMinutes: 30,
      syncSeconds: 5,
      entries: new Map(),
    };
  }

  function sealOf(deviceToken, text) {
    return root.sha256.hmac(root.sha256(deviceToken), text);
  }

  /* Apply one sync answer (its text and seal) to `list`; return what was wrong, or "". */
  function apply(list, text, seal, deviceToken, receivedAt) {
    if (!seal || sealOf(deviceToken, text) !== seal) return "seal";
    var data;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return "json";
    }
    if (!data || data.gathering_id !== list.gatheringId || !Array.isArray(data.entries)) {
      return "gathering";
    }
    if (!data.full && data.since !== list.version) return "version";
    var entries = data.full ? new Map() : new Map(list.entries);
    data.entries.forEach(function (entry) {
      // A guest whose personal data were erased: forgotten, their badge unknown since.
      if (entry.removed) entries.delete(entry.registration_id);
      else entries.set(entry.registration_id, entry);
    });
    if (entries.size !== data.count) return "count";
    list.entries = entries;
    list.version = data.version;
    list.syncedAt = receivedAt;
    list.maxAgeMinutes = data.max_age_minutes;
    list.syncSeconds = data.sync_seconds;
    list.changed = data.full ? null : data.entries;
    return "";
  }

  function ageSeconds(list, nowMs) {
    return list.syncedAt ? Math.max(0, Math.round((nowMs - list.syncedAt) / 1000)) : null;
  }

  function isFresh(list, nowMs) {
    return Boolean(list.syncedAt) && nowMs - list.syncedAt <= list.maxAgeMinutes * 60000;
  }

  // ---- the name search ------------------------------------------------------------------

  /* Traditional characters each followed by their Simplified one: names and queries are
     folded into Simplified, so 黄秉 finds 黃秉修 and 黃偉 finds 黄伟, as the server's search
     does (events_app/languages/fold_map.py writes this line from OpenCC's t2s). */
  // BEGIN FOLD (python -m events_app.languages.fold_map)
  var FOLD = "㑯㑔㑳㑇㑶㐹㓨刾㘚㘎㜄㚯㜏㛣㠏㟆㥮㤘㩜㨫㩳㧐㩵擜䁻䀥䃮鿎䊷䌶䋙䌺䋚䌻䋹䌿䋻䌾䍦䍠䎱䎬䙡䙌䜀䜧䝼䞍䥇䦂䥑鿏䥱䥾䦛䦶䦟䦷䯀䯅䰾鲃䱷䲣䱽䲝䲁鳚䲘鳤䴉鹮丟丢並并乾干亂乱亙亘亞亚佇伫佈布佔占併并來来侖仑侶侣侷局俁俣係系俔伣俠侠俥伡俬私倀伥倆俩倈俫倉仓個个們们倖幸倫伦倲㑈偉伟偑㐽側侧偵侦偽伪傌㐷傑杰傖伧傘伞備备傢家傭佣傯偬傳传傴伛債债傷伤傾倾僂偻僅仅僉佥僑侨僕仆僞伪僥侥僨偾僱雇價价儀仪儁俊儂侬億亿儈侩儉俭儎傤儐傧儔俦儕侪儘尽償偿優优儲储儷俪儸㑩儺傩儻傥儼俨兇凶兌兑兒儿兗兖內内兩两冊册冑胄冪幂凈净凍冻凜凛凱凯別别刪删剄刭則则剋克剎刹剗刬剛刚剝剥剮剐剴剀創创剷铲劃划劄札劇剧劉刘劊刽劌刿劍剑劏㓥劑剂劚㔉勁劲動动務务勛勋勝胜勞劳勢势勩勚勱劢勳勋勵励勸劝勻匀匭匦匯汇匱匮區区協协卹恤卻却卽即厙厍厠厕厤历厭厌厲厉厴厣參参叄叁叢丛吒咤吳吴吶呐呂吕咼呙員员唄呗唸念問问啓启啞哑啟启啢唡喎㖞喚唤喪丧喫吃喬乔單单喲哟嗆呛嗇啬嗊唝嗎吗嗚呜嗩唢嗶哔嘆叹嘍喽嘓啯嘔呕嘖啧嘗尝嘜唛嘩哗嘮唠嘯啸嘰叽嘵哓嘸呒嘽啴噁恶噓嘘噚㖊噝咝噠哒噥哝噦哕噯嗳噲哙噴喷噸吨噹当嚀咛嚇吓嚌哜嚐尝嚕噜嚙啮嚥咽嚦呖嚨咙嚮向嚲亸嚳喾嚴严嚶嘤囀啭囁嗫囂嚣囅冁囈呓囉啰囌苏囑嘱囪囱圇囵國国圍围園园圓圆圖图團团垻坝埡垭埰采執执堅坚堊垩堖垴堝埚堯尧報报場场塊块塋茔塏垲塒埘塗涂塚冢塢坞塤埙塵尘塹堑墊垫墜坠墮堕墰坛墳坟墶垯墻墙墾垦壇坛壋垱壎埙壓压壘垒壙圹壚垆壜坛壞坏壟垄壠垅壢坜壩坝壪塆壯壮壺壶壼壸壽寿夠够夢梦夥伙夾夹奐奂奧奥奩奁奪夺奬奖奮奋奼姹妝妆姍姗姦奸娛娱婁娄婦妇婭娅媧娲媯妫媰㛀媼媪媽妈嫋袅嫗妪嫵妩嫺娴嫻娴嫿婳嬀妫嬃媭嬈娆嬋婵嬌娇嬙嫱嬡嫒嬤嬷嬪嫔嬰婴嬸婶孃娘孋㛤孌娈孫孙學学孿孪宮宫寀采寢寝實实寧宁審审寫写寬宽寵宠寶宝將将專专尋寻對对導导尷尴屆届屍尸屓屃屜屉屢屡層层屨屦屬属岡冈峯峰峴岘島岛峽峡崍崃崑昆崗岗崙仑崢峥崬岽嵐岚嵗岁嵾㟥嶁嵝嶄崭嶇岖嶔嵚嶗崂嶠峤嶢峣嶧峄嶨峃嶮崄嶸嵘嶺岭嶼屿嶽岳巋岿巒峦巔巅巖岩巰巯巹卺帥帅師师帳帐帶带幀帧幃帏幓㡎幗帼幘帻幟帜幣币幫帮幬帱幷并幹干幾几庫库廁厕廂厢廄厩廈厦廎庼廕荫廚厨廝厮廟庙廠厂廡庑廢废廣广廩廪廬庐廳厅弒弑弔吊弳弪張张強强彆别彈弹彌弥彎弯彔录彙汇彠彟彥彦彫雕彲彨彿佛後后徑径從从徠徕復复徵征徹彻恆恒恥耻悅悦悞悮悵怅悶闷悽凄惡恶惱恼惲恽惻恻愛爱愜惬愨悫愴怆愷恺愾忾慄栗態态慍愠慘惨慚惭慟恸慣惯慤悫慪怄慫怂慮虑慳悭慶庆慺㥪慼戚慾欲憂忧憊惫憐怜憑凭憒愦憖慭憚惮憤愤憫悯憮怃憲宪憶忆懇恳應应懌怿懍懔懞蒙懟怼懣懑懤㤽懨恹懲惩懶懒懷怀懸悬懺忏懼惧懾慑戀恋戇戆戔戋戧戗戩戬戰战戱戯戲戏戶户扞捍拋抛拚拼挩捝挱挲挾挟捨舍捫扪捱挨捲卷掃扫掄抡掆㧏掗挜掙挣掛挂採采揀拣揚扬換换揮挥揯搄損损搖摇搗捣搧扇搵揾搶抢摑掴摜掼摟搂摯挚摳抠摶抟摺折摻掺撈捞撏挦撐撑撓挠撝㧑撟挢撣掸撥拨撫抚撲扑撳揿撻挞撾挝撿捡擁拥擄掳擇择擊击擋挡擓㧟擔担據据擠挤擡抬擣捣擬拟擯摈擰拧擱搁擲掷擴扩擷撷擺摆擻擞擼撸擽㧰擾扰攄摅攆撵攏拢攔拦攖撄攙搀攛撺攜携攝摄攢攒攣挛攤摊攪搅攬揽敎教敓敚敗败敘叙敵敌數数斂敛斃毙斆敩斕斓斬斩斷断於于旂旗旣既昇升時时晉晋晝昼暈晕暉晖暘旸暢畅暫暂曄晔曆历曇昙曉晓曏向曖暧曠旷曨昽曬晒書书會会朧胧朮术東东枴拐柵栅柺拐査查桿杆梔栀梘枧條条梟枭梲棁棄弃棊棋棖枨棗枣棟栋棡㭎棧栈棲栖棶梾椏桠椲㭏楊杨楓枫楨桢業业極极榘矩榦干榪杩榮荣榲榅榿桤構构槍枪槓杠槤梿槧椠槨椁槮椮槳桨槶椢槼椝樁桩樂乐樅枞樑梁樓楼標标樞枢樢㭤樣样樧榝樫㭴樳桪樸朴樹树樺桦樿椫橈桡橋桥機机橢椭橫横檁檩檉柽檔档檜桧檟槚檢检檣樯檮梼檯台檳槟檸柠檻槛櫃柜櫓橹櫚榈櫛栉櫝椟櫞橼櫟栎櫥橱櫧槠櫨栌櫪枥櫫橥櫬榇櫱蘖櫳栊櫸榉櫻樱欄栏欅榉權权欏椤欒栾欖榄欞棂欽钦歎叹歐欧歟欤歡欢歲岁歷历歸归歿殁殘残殞殒殤殇殨㱮殫殚殭僵殮殓殯殡殰㱩殲歼殺杀殻壳殼壳毀毁毆殴毿毵氂牦氈毡氌氇氣气氫氢氬氩氳氲氾泛汎泛汙污決决沒没沖冲況况泝溯洩泄洶汹浹浃涇泾涗涚涼凉淒凄淚泪淥渌淨净淩凌淪沦淵渊淶涞淺浅渙涣減减渢沨渦涡測测渾浑湊凑湞浈湧涌湯汤溈沩準准溝沟溫温溮浉溳涢溼湿滄沧滅灭滌涤滎荥滙汇滬沪滯滞滲渗滷卤滸浒滻浐滾滚滿满漁渔漊溇漚沤漢汉漣涟漬渍漲涨漵溆漸渐漿浆潁颍潑泼潔洁潙沩潚㴋潛潜潤润潯浔潰溃潷滗潿涠澀涩澆浇澇涝澐沄澗涧澠渑澤泽澦滪澩泶澮浍澱淀澾㳠濁浊濃浓濄㳡濕湿濘泞濚溁濛蒙濜浕濟济濤涛濧㳔濫滥濰潍濱滨濺溅濼泺濾滤瀂澛瀅滢瀆渎瀇㲿瀉泻瀋沈瀏浏瀕濒瀘泸瀝沥瀟潇瀠潆瀦潴瀧泷瀨濑瀰弥瀲潋瀾澜灃沣灄滠灑洒灕漓灘滩灝灏灡㳕灣湾灤滦灧滟灩滟災灾為为烏乌烴烃無无煉炼煒炜煙烟煢茕煥焕煩烦煬炀煱㶽熅煴熒荧熗炝熱热熲颎熾炽燁烨燈灯燉炖燒烧燙烫燜焖營营燦灿燬毁燭烛燴烩燶㶶燻熏燼烬燾焘爍烁爐炉爛烂爭争爲为爺爷爾尔牀床牆墙牘牍牴抵牽牵犖荦犛牦犢犊犧牺狀状狹狭狽狈猙狰猶犹猻狲獁犸獃呆獄狱獅狮獎奖獨独獪狯獫猃獮狝獰狞獱㺍獲获獵猎獷犷獸兽獺獭獻献獼猕玀猡現现琱雕琺珐琿珲瑋玮瑒玚瑣琐瑤瑶瑩莹瑪玛瑲玱璉琏璡琎璣玑璦瑷璫珰璯㻅環环璵玙璸瑸璽玺璿璇瓊琼瓏珑瓔璎瓚瓒甌瓯甕瓮產产産产畝亩畢毕畫画異异畵画當当疇畴疊叠痙痉痠酸痾疴瘂痖瘋疯瘍疡瘓痪瘞瘗瘡疮瘧疟瘮瘆瘲疭瘺瘘瘻瘘療疗癆痨癇痫癉瘅癒愈癘疠癟瘪癡痴癢痒癤疖癥症癧疬癩癞癬癣癭瘿癮瘾癰痈癱瘫癲癫發发皁皂皚皑皰疱皸皲皺皱盃杯盜盗盞盏盡尽監监盤盘盧卢盪荡眞真眥眦眾众睏困睜睁睞睐瞘眍瞜䁖瞞瞒瞶瞆瞼睑矇蒙矓眬矚瞩矯矫硃朱硜硁硤硖硨砗硯砚碕埼碩硕碭砀碸砜確确碼码碽䂵磑硙磚砖磠硵磣碜磧碛磯矶磽硗磾䃅礄硚礎础礙碍礦矿礪砺礫砾礬矾礱砻祕秘祿禄禍祸禎祯禕祎禡祃禦御禪禅禮礼禰祢禱祷禿秃秈籼稅税稈秆稏䅉稜棱稟禀種种稱称穀谷穇䅟穌稣積积穎颖穠秾穡穑穢秽穩稳穫获穭穞窩窝窪洼窮穷窯窑窵窎窶窭窺窥竄窜竅窍竇窦竈灶竊窃竪竖競竞筆笔筍笋筧笕筴䇲箇个箋笺箏筝箚札節节範范築筑篋箧篔筼篠筿篤笃篩筛篳筚簀箦簍篓簑蓑簞箪簡简簣篑簫箫簹筜簽签簾帘籃篮籌筹籔䉤籙箓籛篯籜箨籟籁籠笼籤签籩笾籪簖籬篱籮箩籲吁粵粤糉粽糝糁糞粪糧粮糰团糲粝糴籴糶粜糹纟糾纠紀纪紂纣約约紅红紆纡紇纥紈纨紉纫紋纹納纳紐纽紓纾純纯紕纰紖纼紗纱紘纮紙纸級级紛纷紜纭紝纴紡纺紬䌷紮扎細细紱绂紲绁紳绅紵纻紹绍紺绀紼绋紿绐絀绌終终絃弦組组絅䌹絆绊絎绗結结絕绝絛绦絝绔絞绞絡络絢绚給给絨绒絰绖統统絲丝絳绛絶绝絹绢綁绑綃绡綆绠綈绨綉绣綌绤綏绥綐䌼綑捆經经綜综綞缍綠绿綢绸綣绻綫线綬绶維维綯绹綰绾綱纲網网綳绷綴缀綵彩綸纶綹绺綺绮綻绽綽绰綾绫綿绵緄绲緇缁緊紧緋绯緑绿緒绪緓绬緔绱緗缃緘缄緙缂線线緝缉緞缎締缔緡缗緣缘緦缌編编緩缓緬缅緯纬緱缑緲缈練练緶缏緹缇緻致緼缊縈萦縉缙縊缢縋缒縐绉縑缣縕缊縗缞縛缚縝缜縞缟縟缛縣县縧绦縫缝縭缡縮缩縱纵縲缧縳䌸縴纤縵缦縶絷縷缕縹缥總总績绩繃绷繅缫繆缪繒缯織织繕缮繚缭繞绕繡绣繢缋繩绳繪绘繫系繭茧繮缰繯缳繰缲繳缴繸䍁繹绎繼继繽缤繾缱繿䍀纇颣纈缬纊纩續续纍累纏缠纓缨纔才纖纤纘缵纜缆缽钵罃䓨罈坛罌罂罎坛罰罚罵骂罷罢羅罗羆罴羈羁羋芈羣群羥羟羨羡義义羶膻習习翫玩翬翚翹翘翽翙耬耧耮耢聖圣聞闻聯联聰聪聲声聳耸聵聩聶聂職职聹聍聽听聾聋肅肃脅胁脈脉脛胫脣唇脩修脫脱脹胀腎肾腖胨腡脶腦脑腫肿腳脚腸肠膃腽膕腘膚肤膞䏝膠胶膩腻膽胆膾脍膿脓臉脸臍脐臏膑臘腊臚胪臟脏臠脔臢臜臥卧臨临臺台與与興兴舉举舊旧舖铺舘馆艙舱艤舣艦舰艫舻艱艰艷艳芻刍苧苎茲兹荊荆莊庄莖茎莢荚莧苋華华菴庵菸烟萇苌萊莱萬万萴荝萵莴葉叶葒荭葤荮葦苇葯药葷荤蒐搜蒓莼蒔莳蒕蒀蒞莅蒼苍蓀荪蓆席蓋盖蓮莲蓯苁蓴莼蓽荜蔔卜蔘参蔞蒌蔣蒋蔥葱蔦茑蔭荫蕁荨蕆蒇蕎荞蕒荬蕓芸蕕莸蕘荛蕢蒉蕩荡蕪芜蕭萧蕷蓣薀蕰薈荟薊蓟薌芗薑姜薔蔷薘荙薟莶薦荐薩萨薳䓕薴苧薵䓓薹苔薺荠藍蓝藎荩藝艺藥药藪薮藭䓖藴蕴藶苈藹蔼藺蔺蘀萚蘄蕲蘆芦蘇苏蘊蕴蘋苹蘚藓蘞蔹蘢茏蘭兰蘺蓠蘿萝虆蔂處处虛虚虜虏號号虧亏虯虬蛺蛱蛻蜕蜆蚬蝕蚀蝟猬蝦虾蝨虱蝸蜗螄蛳螞蚂螢萤螮䗖螻蝼螿螀蟄蛰蟈蝈蟎螨蟣虮蟬蝉蟯蛲蟲虫蟶蛏蟻蚁蠁蚃蠅蝇蠆虿蠍蝎蠐蛴蠑蝾蠔蚝蠟蜡蠣蛎蠨蟏蠱蛊蠶蚕蠻蛮衆众衊蔑術术衕同衚胡衛卫衝冲袞衮袷夹裊袅裏里補补裝装裡里製制複复褌裈褘袆褲裤褳裢褸褛褻亵襇裥襉裥襏袯襖袄襝裣襠裆襤褴襪袜襬摆襯衬襲袭襴襕覈核見见覎觃規规覓觅視视覘觇覡觋覥觍覦觎親亲覬觊覯觏覲觐覷觑覺觉覽览覿觌觀观觴觞觶觯觸触訁讠訂订訃讣計计訊讯訌讧討讨訐讦訒讱訓训訕讪訖讫託托記记訛讹訝讶訟讼訢䜣訣诀訥讷訩讻訪访設设許许訴诉訶诃診诊註注証证詁诂詆诋詎讵詐诈詒诒詔诏評评詖诐詗诇詘诎詛诅詞词詠咏詡诩詢询詣诣試试詩诗詫诧詬诟詭诡詮诠詰诘話话該该詳详詵诜詼诙詿诖誄诔誅诛誆诓誇夸誌志認认誑诳誒诶誕诞誘诱誚诮語语誠诚誡诫誣诬誤误誥诰誦诵誨诲說说説说誰谁課课誶谇誹诽誼谊誾訚調调諂谄諄谆談谈諉诿請请諍诤諏诹諑诼諒谅論论諗谂諛谀諜谍諝谞諞谝諡谥諢诨諤谔諦谛諧谐諫谏諭谕諮咨諱讳諳谙諶谌諷讽諸诸諺谚諼谖諾诺謀谋謁谒謂谓謄誊謅诌謊谎謎谜謐谧謔谑謖谡謗谤謙谦謚谥講讲謝谢謠谣謡谣謨谟謫谪謬谬謭谫謳讴謹谨謾谩譁哗證证譎谲譏讥譖谮識识譙谯譚谭譜谱譟噪譫谵譭毁譯译議议譴谴護护譸诪譽誉譾谫讀读讅谉變变讋詟讌䜩讎雠讒谗讓让讕谰讖谶讚赞讜谠讞谳谿溪豈岂豎竖豐丰豔艳豬猪豶豮貍狸貓猫貙䝙貝贝貞贞貟贠負负財财貢贡貧贫貨货販贩貪贪貫贯責责貯贮貰贳貲赀貳贰貴贵貶贬買买貸贷貺贶費费貼贴貽贻貿贸賀贺賁贲賂赂賃赁賄贿賅赅資资賈贾賊贼賑赈賒赊賓宾賕赇賙赒賚赉賜赐賞赏賠赔賡赓賢贤賣卖賤贱賦赋賧赕質质賫赍賬账賭赌賰䞐賴赖賵赗賺赚賻赙購购賽赛賾赜贄贽贅赘贇赟贈赠贊赞贋赝贍赡贏赢贐赆贓赃贔赑贖赎贗赝贛赣贜赃赬赪趕赶趙赵趨趋趲趱跡迹踐践踰逾踴踊蹌跄蹕跸蹟迹蹠跖蹣蹒蹤踪蹺跷躂跶躉趸躊踌躋跻躍跃躎䟢躑踯躒跞躓踬躕蹰躚跹躡蹑躥蹿躦躜躪躏軀躯車车軋轧軌轨軍军軑轪軒轩軔轫軛轭軟软軤轷軫轸軲轱軸轴軹轵軺轺軻轲軼轶軾轼較较輅辂輇辁輈辀載载輊轾輒辄輓挽輔辅輕轻輛辆輜辎輝辉輞辋輟辍輥辊輦辇輩辈輪轮輬辌輯辑輳辏輸输輻辐輼辒輾辗輿舆轀辒轂毂轄辖轅辕轆辘轉转轍辙轎轿轔辚轟轰轡辔轢轹轤轳辦办辭辞辮辫辯辩農农迴回逕径這这連连週周進进遊游運运過过達达違违遙遥遜逊遞递遠远遡溯適适遲迟遶绕遷迁選选遺遗遼辽邁迈還还邇迩邊边邏逻邐逦郟郏郵邮鄆郓鄉乡鄒邹鄔邬鄖郧鄧邓鄭郑鄰邻鄲郸鄴邺鄶郐鄺邝酇酂酈郦醃腌醖酝醜丑醞酝醟蒏醣糖醫医醬酱醱酦釀酿釁衅釃酾釅酽釋释釐厘釒钅釓钆釔钇釕钌釗钊釘钉釙钋針针釣钓釤钐釦扣釧钏釩钒釵钗釷钍釹钕釺钎釾䥺鈀钯鈁钫鈃钘鈄钭鈅钥鈈钚鈉钠鈍钝鈎钩鈐钤鈑钣鈒钑鈔钞鈕钮鈞钧鈡钟鈣钙鈥钬鈦钛鈧钪鈮铌鈰铈鈳钶鈴铃鈷钴鈸钹鈹铍鈺钰鈽钸鈾铀鈿钿鉀钾鉅巨鉆钻鉈铊鉉铉鉋铇鉍铋鉑铂鉕钷鉗钳鉚铆鉛铅鉞钺鉢钵鉤钩鉦钲鉬钼鉭钽鉳锫鉶铏鉸铰鉺铒鉻铬鉿铪銀银銃铳銅铜銍铚銑铣銓铨銖铢銘铭銚铫銛铦銜衔銠铑銣铷銥铱銦铟銨铵銩铥銪铕銫铯銬铐銱铞銳锐銷销銹锈銻锑銼锉鋁铝鋃锒鋅锌鋇钡鋌铤鋏铗鋒锋鋙铻鋝锊鋟锓鋣铘鋤锄鋥锃鋦锔鋨锇鋩铓鋪铺鋭锐鋮铖鋯锆鋰锂鋱铽鋶锍鋸锯鋼钢錁锞錄录錆锖錇锫錈锩錏铔錐锥錒锕錕锟錘锤錙锱錚铮錛锛錟锬錠锭錡锜錢钱錦锦錨锚錩锠錫锡錮锢錯错録录錳锰錶表錸铼錼镎鍀锝鍁锨鍃锪鍅钫鍆钔鍇锴鍈锳鍊炼鍋锅鍍镀鍔锷鍘铡鍚钖鍛锻鍠锽鍤锸鍥锲鍩锘鍬锹鍰锾鍵键鍶锶鍺锗鍼针鍾钟鎂镁鎄锿鎇镅鎊镑鎌镰鎔镕鎖锁鎘镉鎚锤鎛镈鎡镃鎢钨鎣蓥鎦镏鎧铠鎩铩鎪锼鎬镐鎭镇鎮镇鎰镒鎲镋鎳镍鎵镓鎶鿔鎸镌鎿镎鏃镞鏇旋鏈链鏌镆鏍镙鏐镠鏑镝鏗铿鏘锵鏜镗鏝镘鏞镛鏟铲鏡镜鏢镖鏤镂鏨錾鏰镚鏵铧鏷镤鏹镪鏺䥽鏽锈鐃铙鐋铴鐐镣鐒铹鐓镦鐔镡鐘钟鐙镫鐝镢鐠镨鐥䦅鐦锎鐧锏鐨镄鐫镌鐮镰鐯䦃鐲镯鐳镭鐵铁鐶镮鐸铎鐺铛鐿镱鑄铸鑊镬鑌镔鑑鉴鑒鉴鑔镲鑕锧鑞镴鑠铄鑣镳鑥镥鑭镧鑰钥鑱镵鑲镶鑷镊鑹镩鑼锣鑽钻鑾銮鑿凿钁镢钂镋長长門门閂闩閃闪閆闫閈闬閉闭開开閌闶閎闳閏闰閑闲閒闲間间閔闵閘闸閡阂閣阁閤合閥阀閨闺閩闽閫阃閬阆閭闾閱阅閲阅閶阊閹阉閻阎閼阏閽阍閾阈閿阌闃阒闆板闇暗闈闱闊阔闋阕闌阑闍阇闐阗闒阘闓闿闔阖闕阙闖闯關关闞阚闠阓闡阐闢辟闤阛闥闼陘陉陝陕陞升陣阵陰阴陳陈陸陆陽阳隉陧隊队階阶隕陨際际隨随險险隯陦隱隐隴陇隸隶隻只雋隽雖虽雙双雛雏雜杂雞鸡離离難难雲云電电霑沾霢霡霧雾霽霁靂雳靄霭靆叇靈灵靉叆靚靓靜静靝靔靦腼靨靥鞏巩鞝绱鞦秋鞽鞒韁缰韃鞑韆千韉鞯韋韦韌韧韍韨韓韩韙韪韜韬韝鞲韞韫韻韵響响頁页頂顶頃顷項项順顺頇顸須须頊顼頌颂頎颀頏颃預预頑顽頒颁頓顿頗颇領领頜颌頡颉頤颐頦颏頭头頮颒頰颊頲颋頴颕頷颔頸颈頹颓頻频頽颓顆颗題题額额顎颚顏颜顒颙顓颛顔颜願愿顙颡顛颠類类顢颟顥颢顧顾顫颤顬颥顯显顰颦顱颅顳颞顴颧風风颭飐颮飑颯飒颱台颳刮颶飓颸飔颺飏颻飖颼飕飀飗飄飘飆飙飈飚飛飞飠饣飢饥飣饤飥饦飩饨飪饪飫饫飭饬飯饭飱飧飲饮飴饴飼饲飽饱飾饰飿饳餃饺餄饸餅饼餈糍餉饷養养餌饵餎饹餏饻餑饽餒馁餓饿餕馂餖饾餘余餚肴餛馄餜馃餞饯餡馅館馆餬糊餱糇餳饧餵喂餶馉餷馇餺馎餼饩餾馏餿馊饁馌饃馍饅馒饈馐饉馑饊馓饋馈饌馔饑饥饒饶饗飨饜餍饞馋饢馕馬马馭驭馮冯馱驮馳驰馴驯馹驲駁驳駐驻駑驽駒驹駔驵駕驾駘骀駙驸駛驶駝驼駟驷駡骂駢骈駭骇駰骃駱骆駸骎駿骏騁骋騂骍騅骓騌骔騍骒騎骑騏骐騖骛騙骗騤骙騧䯄騫骞騭骘騮骝騰腾騶驺騷骚騸骟騾骡驀蓦驁骜驂骖驃骠驄骢驅驱驊骅驌骕驍骁驏骣驕骄驗验驚惊驛驿驟骤驢驴驤骧驥骥驦骦驪骊驫骉骯肮髏髅髒脏體体髕髌髖髋髮发鬆松鬍胡鬚须鬢鬓鬥斗鬧闹鬨哄鬩阋鬮阄鬱郁鬹鬶魎魉魘魇魚鱼魛鱽魢鱾魨鲀魯鲁魴鲂魷鱿魺鲄鮁鲅鮃鲆鮊鲌鮋鲉鮍鲏鮎鲇鮐鲐鮑鲍鮒鲋鮓鲊鮚鲒鮜鲘鮝鲞鮞鲕鮣䲟鮦鲖鮪鲔鮫鲛鮭鲑鮮鲜鮳鲓鮶鲪鮺鲝鯀鲧鯁鲠鯇鲩鯉鲤鯊鲨鯒鲬鯔鲻鯕鲯鯖鲭鯗鲞鯛鲷鯝鲴鯡鲱鯢鲵鯤鲲鯧鲳鯨鲸鯪鲮鯫鲰鯰鲶鯴鲺鯷鳀鯽鲫鯿鳊鰁鳈鰂鲗鰃鳂鰆䲠鰈鲽鰉鳇鰌䲡鰍鳅鰏鲾鰐鳄鰒鳆鰓鳃鰛鳁鰜鳒鰟鳑鰠鳋鰣鲥鰥鳏鰧䲢鰨鳎鰩鳐鰭鳍鰮鳁鰱鲢鰲鳌鰳鳓鰵鳘鰷鲦鰹鲣鰺鲹鰻鳗鰼鳛鰾鳔鱂鳉鱅鳙鱈鳕鱉鳖鱒鳟鱔鳝鱖鳜鱗鳞鱘鲟鱝鲼鱟鲎鱠鲙鱣鳣鱤鳡鱧鳢鱨鲿鱭鲚鱯鳠鱷鳄鱸鲈鱺鲡鳥鸟鳧凫鳩鸠鳬凫鳲鸤鳳凤鳴鸣鳶鸢鳾䴓鴆鸩鴇鸨鴉鸦鴒鸰鴕鸵鴛鸳鴝鸲鴞鸮鴟鸱鴣鸪鴦鸯鴨鸭鴯鸸鴰鸹鴴鸻鴷䴕鴻鸿鴿鸽鵁䴔鵂鸺鵃鸼鵐鹀鵑鹃鵒鹆鵓鹁鵜鹈鵝鹅鵠鹄鵡鹉鵪鹌鵬鹏鵮鹐鵯鹎鵰雕鵲鹊鵷鹓鵾鹍鶄䴖鶇鸫鶉鹑鶊鹒鶓鹋鶖鹙鶘鹕鶚鹗鶡鹖鶥鹛鶩鹜鶪䴗鶬鸧鶯莺鶲鹟鶴鹤鶹鹠鶺鹡鶻鹘鶼鹣鶿鹚鷀鹚鷁鹢鷂鹞鷄鸡鷉䴘鷊鹝鷓鹧鷖鹥鷗鸥鷙鸷鷚鹨鷥鸶鷦鹪鷫鹔鷯鹩鷲鹫鷳鹇鷴鹇鷸鹬鷹鹰鷺鹭鷽鸴鸂㶉鸇鹯鸊䴙鸌鹱鸏鹲鸕鸬鸘鹴鸚鹦鸛鹳鸝鹂鸞鸾鹵卤鹹咸鹺鹾鹼碱鹽盐麗丽麥麦麩麸麪面麫面麯曲麴曲麵面麼么麽么黃黄黌黉點点黨党黲黪黴霉黶黡黷黩黽黾黿鼋鼂鼌鼉鼍鼕冬鼴鼹齊齐齋斋齎赍齏齑齒齿齔龀齕龁齗龂齙龅齜龇齟龃齠龆齡龄齣出齦龈齧啮齪龊齬龉齲龋齶腭齷龌龍龙龎厐龐庞龑䶮龔龚龕龛龜龟鿁䜤鿓鿒";
  // END FOLD
  var HAN = /[\u3400-\u9fff]/g;
  var foldTable = null;
  var foldedNames = typeof WeakMap === "function" ? new WeakMap() : null;

  /* Return text in lower case with its Traditional characters made Simplified. */
  function fold(text) {
    if (!foldTable) {
      foldTable = {};
      for (var i = 0; i + 1 < FOLD.length; i += 2) foldTable[FOLD[i]] = FOLD[i + 1];
    }
    return String(text || "").toLowerCase().replace(HAN, function (ch) {
      return foldTable[ch] || ch;
    });
  }

  function namesOf(entry) {
    var names = foldedNames && foldedNames.get(entry);
    if (names === undefined) {
      names = fold(entry.full_name + " " + entry.name_zh);
      if (foldedNames) foldedNames.set(entry, names);
    }
    return names;
  }

  /* A name search over the list, for a guest without their badge while offline. */
  function find(list, text, limit) {
    var q = fold(String(text || "").trim());
    var found = [];
    if (q.length < 2) return found;
    list.entries.forEach(function (entry) {
      if (found.length >= (limit || 20)) return;
      if (namesOf(entry).indexOf(q) >= 0) found.push(entry);
    });
    return found;
  }

  // ---- syncing --------------------------------------------------------------------------

  var SYNC_TIMEOUT_MS = 20000;
  var BUSY = { 408: true, 429: true };

  function errorCode(text) {
    try {
      return (JSON.parse(text).error || {}).code || "";
    } catch (error) {
      return "";
    }
  }

  /* Ask for what changed since the list's version and apply it. Return {outcome}: "applied",
     "offline" (no answer, or a busy server), "ahead" (the version is reset: sync again),
     "damaged" (the answer failed its checks: nothing applied) or "refused" (with the
     status and error code). */
  async function sync(list, apiBase, deviceToken, nowMs) {
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, SYNC_TIMEOUT_MS);
    var response;
    var text;
    try {
      response = await fetch(apiBase + "/door/list?since=" + list.version, {
        headers: { Accept: "application/json", Authorization: "Bearer " + deviceToken },
        cache: "no-store",
        credentials: "omit",
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      return { outcome: "offline" };
    } finally {
      clearTimeout(timer);
    }
    if (response.status >= 500 || BUSY[response.status]) return { outcome: "offline" };
    if (!response.ok) {
      var code = errorCode(text);
      if (code !== "door_list_ahead") {
        return { outcome: "refused", status: response.status, code: code };
      }
      list.version = 0;
      return { outcome: "ahead" };
    }
    var problem = apply(list, text, response.headers.get("X-Door-List-MAC"), deviceToken, nowMs);
    if (problem === "count" || problem === "version") list.version = 0; // whole list next
    if (problem) return { outcome: "damaged", problem: problem };
    try {
      await save(list);
    } catch (error) {
      /* storage full or disabled: the list is kept in memory only */
    }
    return { outcome: "applied" };
  }

  // ---- IndexedDB ----------------------------------------------------------------------------

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () {
        resolve(req.result);
      };
      req.onerror = function () {
        reject(req.error);
      };
    });
  }

  function open() {
    if (!root.indexedDB) return Promise.reject(new Error("no IndexedDB"));
    var req = root.indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = function () {
      req.result.createObjectStore("entries", { keyPath: "registration_id" });
      req.result.createObjectStore("meta");
    };
    return request(req);
  }

  function done(tx) {
    return new Promise(function (resolve, reject) {
      tx.oncomplete = resolve;
      tx.onerror = tx.onabort = function () {
        reject(tx.error);
      };
    });
  }

  /* Keep the list as applied: the whole of it after a full sync, else the changed rows. */
  async function save(list) {
    var db = await open();
    try {
      var tx = db.transaction(["entries", "meta"], "readwrite");
      var entries = tx.objectStore("entries");
      if (!list.changed) entries.clear();
      (list.changed || Array.from(list.entries.values())).forEach(function (entry) {
        if (entry.removed) entries.delete(entry.registration_id);
        else entries.put(entry);
      });
      tx.objectStore("meta").put(
        {
          gatheringId: list.gatheringId,
          version: list.version,
          syncedAt: list.syncedAt,
          maxAgeMinutes: list.maxAgeMinutes,
          syncSeconds: list.syncSeconds,
        },
        "list"
      );
      await done(tx);
    } finally {
      db.close();
    }
  }

  /* Return the list kept for this gathering, or an empty one. */
  async function load(gatheringId) {
    var list = emptyList(gatheringId);
    var db = await open();
    try {
      var tx = db.transaction(["entries", "meta"], "readonly");
      var meta = await request(tx.objectStore("meta").get("list"));
      if (!meta || meta.gatheringId !== gatheringId) return list;
      var rows = await request(tx.objectStore("entries").getAll());
      rows.forEach(function (entry) {
        list.entries.set(entry.registration_id, entry);
      });
      Object.assign(list, meta);
      return list;
    } finally {
      db.close();
    }
  }

  /* Forget the list: a revoked device keeps nothing of its gathering's guests. */
  function wipe() {
    if (!root.indexedDB) return Promise.resolve();
    return request(root.indexedDB.deleteDatabase(DB_NAME)).catch(function () {});
  }

  root.DoorList = {
    claims: claims,
    digest: digest,
    judge: judge,
    guestOf: guestOf,
    passes: passes,
    emptyList: emptyList,
    apply: apply,
    ageSeconds: ageSeconds,
    isFresh: isFresh,
    find: find,
    fold: fold,
    sync: sync,
    save: save,
    load: load,
    wipe: wipe,
  };
})(typeof window === "object" ? window : this);
